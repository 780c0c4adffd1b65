package dev.kpat.token;

/**
 * A raw token value. It exists in memory only on its way into the Secret: {@link #toString()} never
 * reveals it, so a value that slips into a log line or exception message shows only its hint.
 */
public final class TokenValue {
    private final String value;

    TokenValue(String value) {
        this.value = value;
    }

    /** Wraps a value read back from a Secret. */
    public static TokenValue of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("token value is empty");
        }
        return new TokenValue(value);
    }

    /** The raw value: only for writing the Secret. */
    public String reveal() {
        return value;
    }

    public String hash() {
        return TokenHash.of(value);
    }

    public String hint() {
        return TokenHint.of(value);
    }

    @Override
    public String toString() {
        return "TokenValue[" + hint() + "]";
    }
}
