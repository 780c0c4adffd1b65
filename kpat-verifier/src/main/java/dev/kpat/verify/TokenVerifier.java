package dev.kpat.verify;

import dev.kpat.api.RevocationReason;
import dev.kpat.token.Scope;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import java.time.Clock;
import java.util.List;

/**
 * Decides what a presented token is worth, from the in-memory index alone (no API call per request). Checks run
 * cheapest first: the format and checksum reject typos and garbage without hashing (any prefix of the documented
 * form, since policies may choose their own); then the digest lookup; then the record's state against the clock, to
 * the millisecond.
 */
public final class TokenVerifier {
    private final TokenIndex index;
    private final Clock clock;

    public TokenVerifier(TokenIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    public Verification verify(String token, List<Scope> required) {
        if (!TokenFormat.isWellFormedAnyPrefix(token)) {
            return new Verification(Outcome.MALFORMED, null);
        }
        byte[] digest = TokenHash.digest(token);
        IndexedToken t = index.find(TokenIndex.digestLongs(digest));
        if (t == null || t.pending) {
            return new Verification(Outcome.UNKNOWN, null);
        }
        long now = clock.millis();
        if (t.revoked) {
            return new Verification(RevocationReason.OWNER_DELETED.equals(t.revocationReason) ? Outcome.OWNER_DELETED
                    : Outcome.REVOKED, t);
        }
        if (now >= t.expiresAt) {
            return new Verification(Outcome.EXPIRED, t);
        }
        if (now >= t.validUntil) {
            return new Verification(Outcome.SUPERSEDED, t);
        }
        if (t.blocked) {
            return new Verification(Outcome.POLICY, t);
        }
        if (!t.scopes.grantsAll(required)) {
            return new Verification(Outcome.INSUFFICIENT_SCOPE, t);
        }
        return new Verification(Outcome.ACTIVE, t);
    }
}
