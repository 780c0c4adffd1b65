package dev.kpat.logging;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts a token's namespace, name and id into the logging context for the lines logged inside a try block, so
 * {@code --log-format=json} carries them as fields. Never the value. Nests: closing restores what an enclosing
 * block had set, and a null argument keeps the enclosing value.
 */
public final class TokenMdc implements AutoCloseable {
    public static final String NAMESPACE = "kpat.namespace";
    public static final String NAME = "kpat.name";
    public static final String TOKEN_ID = "kpat.tokenId";

    private final Map<String, String> previous = new HashMap<>();

    private TokenMdc() {
    }

    /** Any argument may be null (not known where the line is logged). */
    public static TokenMdc of(String namespace, String name, String tokenId) {
        TokenMdc mdc = new TokenMdc();
        mdc.put(NAMESPACE, namespace);
        mdc.put(NAME, name);
        mdc.put(TOKEN_ID, tokenId);
        return mdc;
    }

    private void put(String key, String value) {
        if (value != null) {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
