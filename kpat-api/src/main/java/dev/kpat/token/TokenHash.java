package dev.kpat.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code sha256:<lowercase hex>} of the full token string, the only form a TokenRecord holds. */
public final class TokenHash {
    public static final String ALGORITHM_PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: the verifier hashes every presented token on its request threads. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    });

    private TokenHash() {
    }

    public static String of(CharSequence token) {
        return ALGORITHM_PREFIX + HEX.formatHex(digest(token));
    }

    /** The raw 32-byte digest, for indexes that keep bytes rather than strings. */
    public static byte[] digest(CharSequence token) {
        return SHA256.get().digest(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Parses {@code sha256:<hex>} into digest bytes, or null when it is not that form. */
    public static byte[] parse(String hash) {
        if (hash == null || !hash.startsWith(ALGORITHM_PREFIX) || hash.length() != ALGORITHM_PREFIX.length() + 64) {
            return null;
        }
        try {
            return HEX.parseHex(hash, ALGORITHM_PREFIX.length(), hash.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Constant-time comparison of two hash strings. */
    public static boolean matches(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }
}
