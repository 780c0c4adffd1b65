package dev.kpat.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The token string: {@code prefix + 32 random base62 characters + 6 base62 characters of CRC32}.
 * The checksum covers the UTF-8 bytes of prefix and random part, so a mistyped or truncated token
 * is rejected without a lookup, and secret scanners can recognise real tokens.
 */
public final class TokenFormat {
    public static final String DEFAULT_PREFIX = "kpat_";
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    /** A prefix is a short lowercase word ending in an underscore, e.g. {@code kpat_}. */
    public static final Pattern PREFIX_PATTERN = Pattern.compile("^[a-z][a-z0-9]{1,9}_$");

    private final String prefix;
    private final SecureRandom random;

    public TokenFormat(String prefix, SecureRandom random) {
        if (!PREFIX_PATTERN.matcher(prefix).matches()) {
            throw new IllegalArgumentException("token prefix must match " + PREFIX_PATTERN.pattern());
        }
        this.prefix = prefix;
        this.random = random;
    }

    public TokenFormat(String prefix) {
        this(prefix, new SecureRandom());
    }

    public String prefix() {
        return prefix;
    }

    /** A fresh token value. */
    public TokenValue generate() {
        StringBuilder sb = new StringBuilder(prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH).append(prefix);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            sb.append(Base62.ALPHABET.charAt(random.nextInt(62)));
        }
        sb.append(checksum(sb));
        return new TokenValue(sb.toString());
    }

    /** True when {@code token} has this format's prefix, the right length and alphabet, and a valid checksum. */
    public boolean isWellFormed(CharSequence token) {
        return token != null && hasPrefix(token) && hasValidBody(token, prefix.length());
    }

    /** Format check for any prefix that matches {@link #PREFIX_PATTERN} (scanners that do not know the prefix). */
    public static boolean isWellFormedAnyPrefix(CharSequence token) {
        if (token == null) {
            return false;
        }
        int underscore = -1;
        for (int i = 0; i < token.length() && i <= 10; i++) {
            if (token.charAt(i) == '_') {
                underscore = i;
                break;
            }
        }
        return underscore >= 2 && isPrefixWord(token, underscore) && hasValidBody(token, underscore + 1);
    }

    /** {@code [a-z][a-z0-9]+} before the underscore: {@link #PREFIX_PATTERN} without a regex on the request path. */
    private static boolean isPrefixWord(CharSequence token, int length) {
        char first = token.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = token.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private boolean hasPrefix(CharSequence token) {
        if (token.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (token.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasValidBody(CharSequence token, int prefixLength) {
        if (token.length() != prefixLength + RANDOM_LENGTH + CHECKSUM_LENGTH) {
            return false;
        }
        for (int i = prefixLength; i < token.length(); i++) {
            if (!Base62.isDigit(token.charAt(i))) {
                return false;
            }
        }
        int checksumStart = token.length() - CHECKSUM_LENGTH;
        String expected = checksum(token.subSequence(0, checksumStart));
        for (int i = 0; i < CHECKSUM_LENGTH; i++) {
            if (token.charAt(checksumStart + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Six base62 digits of the CRC32 of the UTF-8 bytes of {@code body}. */
    static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }
}
