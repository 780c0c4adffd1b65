package dev.kpat.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Turns a name into a valid label value. Object names may be up to 253 characters, label values only 63 (and must
 * match {@code (([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?}), so a label can only point at an object approximately:
 * kpat keeps the exact name in an annotation and uses the label for selection.
 *
 * <p>A value that is already a valid label value is kept as it is, so {@code -l kpat.dev/token-name=NAME} works for
 * every name of up to 63 characters. Anything else becomes a prefix of at most {@value #PREFIX_LENGTH} characters,
 * a dash and the first {@value #HASH_LENGTH} hex digits of the SHA-256 of the whole value: still valid, stable, and
 * distinct for distinct long names.
 */
public final class LabelValues {
    public static final int MAX_LENGTH = 63;
    static final int HASH_LENGTH = 12;
    static final int PREFIX_LENGTH = MAX_LENGTH - HASH_LENGTH - 1;
    private static final Pattern VALID = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern INVALID_CHARS = Pattern.compile("[^-A-Za-z0-9_.]");

    private LabelValues() {
    }

    /** Whether {@code value} may be used as a label value as it is. */
    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && VALID.matcher(value).matches();
    }

    /** The label value for {@code value}: itself when valid, else a readable prefix and a hash of the whole. */
    public static String of(String value) {
        if (isValid(value)) {
            return value;
        }
        String prefix = INVALID_CHARS.matcher(value).replaceAll("-");
        prefix = prefix.substring(0, Math.min(prefix.length(), PREFIX_LENGTH));
        // the prefix starts and ends with an alphanumeric character, or is dropped
        int start = 0;
        while (start < prefix.length() && !Character.isLetterOrDigit(prefix.charAt(start))) {
            start++;
        }
        int end = prefix.length();
        while (end > start && !Character.isLetterOrDigit(prefix.charAt(end - 1))) {
            end--;
        }
        prefix = prefix.substring(start, end);
        String hash = hash(value);
        return prefix.isEmpty() ? hash : prefix + "-" + hash;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
