package dev.kpat.token;

/** A display hint: the prefix and the last 4 characters, e.g. {@code kpat_…x9Qa}. Safe to show anywhere. */
public final class TokenHint {
    private TokenHint() {
    }

    public static String of(String token) {
        int underscore = token.indexOf('_');
        String prefix = underscore >= 0 && underscore <= 10 ? token.substring(0, underscore + 1) : "";
        String tail = token.length() >= prefix.length() + 8 ? token.substring(token.length() - 4) : "";
        return prefix + "…" + tail;
    }
}
