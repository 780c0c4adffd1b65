package dev.kpat.verify;

import dev.kpat.api.RevocationReason;

/** A decision, with the entry it was made on (null for malformed and unknown tokens). */
public record Verification(Outcome outcome, IndexedToken token) {
    public boolean active() {
        return outcome == Outcome.ACTIVE;
    }

    /**
     * Whether this is a value that was killed on purpose (a rotation after a leak, a revocation) being used again:
     * whoever presents it holds a value its owner meant to be dead, the {@code RevokedTokenUsed} signal.
     */
    public boolean revokedTokenUsed() {
        // the reason may be absent (a record revoked by hand): immutable sets refuse contains(null)
        return outcome == Outcome.REVOKED && token.revocationReason() != null
                && RevocationReason.LEAK_RESPONSES.contains(token.revocationReason());
    }
}
