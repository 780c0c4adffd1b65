package dev.kpat.lifecycle;

import dev.kpat.api.RevocationReason;

/**
 * Every reason the operator gives, in one vocabulary: a condition's {@code reason}, an Event's reason, the
 * {@code reason} tag of its metrics and a record's {@code revocationReason}, so that {@code kubectl describe},
 * {@code kubectl get events}, a dashboard and a TokenRecord say the same thing. The names are the wire values.
 */
public enum Reason {
    /** A token's first value. */
    Issued(false),
    /** A new value by scheduled rotation or by {@code kpat.dev/rotate} (as a Ready reason and an Event). */
    Rotated(false),
    /** A new {@code kpat.dev/rotate} value: the response to a leak (an issue and a revocation reason). */
    ManualRotation(false),
    SecretDeleted(false),
    SecretTampered(false),
    /** A deleted or tampered Secret got a new value (an Event). */
    SecretRecreated(true),
    Expired(false),
    NotExpired(false),
    /** {@code spec.revoked} (a condition, an Event and a revocation reason). */
    Revoked(false),
    NotRevoked(false),
    /** The token was deleted (a revocation reason). */
    Deleted(false),
    InvalidSpec(true),
    PolicyViolation(true),
    SecretConflict(true),
    ReconcileError(true),
    OwnerNotFound(true),
    OwnerDeleted(true),
    /** A value revoked after a leak was presented and the token has {@code revokeOnReuse} (a revocation reason). */
    ReuseDetected(false),
    /** The token's current value was revoked for {@link #ReuseDetected} (a condition and an Event). */
    RevokedOnReuse(true),
    WorkloadsRestarted(false),
    /** Policy conditions. */
    Valid(false),
    InvalidPolicy(false);

    private final boolean warning;

    Reason(boolean warning) {
        this.warning = warning;
    }

    /** Whether an Event of this reason is a Warning (else Normal). */
    public boolean warning() {
        return warning;
    }

    /** The reason of an issue. */
    public static Reason of(IssueReason issue) {
        return valueOf(issue.name());
    }

    /** A reason read back (from a condition, a record); null when it is none of these. */
    public static Reason parse(String s) {
        for (Reason r : values()) {
            if (r.name().equals(s)) {
                return r;
            }
        }
        return null;
    }

    /** Whether this reason may stand in a record's {@code revocationReason} (the API's list). */
    public boolean isRevocation() {
        return RevocationReason.ALL.contains(name());
    }
}
