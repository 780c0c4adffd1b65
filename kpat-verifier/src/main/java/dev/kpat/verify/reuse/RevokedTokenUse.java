package dev.kpat.verify.reuse;

import dev.kpat.verify.IndexedToken;

/** Where the request path reports a revoked value being presented again; must not block or call the API. */
@FunctionalInterface
public interface RevokedTokenUse {
    /** The name of the signal: the Event reason and the audit line's {@code signal}. */
    String SIGNAL = "RevokedTokenUsed";
    RevokedTokenUse IGNORED = (token, client, endpoint) -> { };

    void report(IndexedToken token, String client, String endpoint);
}
