package dev.kpat.verify;

/** The verifier's answer for a presented token; {@link #reason()} is the word clients and audit lines see. */
public enum Outcome {
    ACTIVE("active"),
    /** Wrong prefix, length, alphabet or checksum: rejected without a lookup. */
    MALFORMED("malformed"),
    UNKNOWN("unknown"),
    REVOKED("revoked"),
    /** Revoked because the ServiceAccount it was issued for (by uid) was deleted. */
    OWNER_DELETED("owner_deleted"),
    EXPIRED("expired"),
    /** Replaced by a rotation and past the end of its grace period. */
    SUPERSEDED("superseded"),
    /** Blocked while a token policy forbids it (not revoked: loosening the policy brings it back). */
    POLICY("policy"),
    INSUFFICIENT_SCOPE("insufficient_scope");

    private final String reason;

    Outcome(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public boolean authenticated() {
        return this == ACTIVE || this == INSUFFICIENT_SCOPE;
    }
}
