package dev.kpat.token;

/** Base62 digits {@code 0-9A-Za-z}, digit values 0 to 61 in that order, as the token format uses them. */
public final class Base62 {
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {
    }

    /** Encodes a non-negative value most significant digit first, left-padded with '0' to {@code width}. */
    public static String encode(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("value must not be negative");
        }
        char[] out = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        if (value != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }

    public static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
