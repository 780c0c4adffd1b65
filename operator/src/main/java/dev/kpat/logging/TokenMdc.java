package dev.kpat.logging;

import org.slf4j.MDC;

/**
 * Puts a token's namespace, name and id into the logging context for the lines logged inside a try block, so
 * {@code --log-format=json} carries them as fields. Never the value.
 */
public final class TokenMdc implements AutoCloseable {
    public static final String NAMESPACE = "kpat.namespace";
    public static final String NAME = "kpat.name";
    public static final String TOKEN_ID = "kpat.tokenId";

    private TokenMdc() {
    }

    /** Any argument may be null (not known where the line is logged). */
    public static TokenMdc of(String namespace, String name, String tokenId) {
        put(NAMESPACE, namespace);
        put(NAME, name);
        put(TOKEN_ID, tokenId);
        return new TokenMdc();
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(NAMESPACE);
        MDC.remove(NAME);
        MDC.remove(TOKEN_ID);
    }
}
