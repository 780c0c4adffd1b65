package dev.kpat.lifecycle;

import dev.kpat.api.RevocationReason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every reason the operator gives, in one vocabulary: a condition's {@code reason}, an Event's reason, the
 * {@code reason} tag of its metrics and a record's {@code revocationReason}, so that {@code kubectl describe},
 * {@code kubectl get events}, a dashboard and a TokenRecord say the same thing. The names are the wire values.
 */
public enum Reason {
    /** A token's first value. */
    Issued,
    /** A new value by scheduled rotation or by {@code kpat.dev/rotate} (as a Ready reason and an Event). */
    Rotated,
    /** A new {@code kpat.dev/rotate} value: the response to a leak (an issue and a revocation reason). */
    ManualRotation,
    SecretDeleted,
    SecretTampered,
    /** A deleted or tampered Secret got a new value (an Event). */
    SecretRecreated,
    Expired,
    NotExpired,
    /** {@code spec.revoked} (a condition, an Event and a revocation reason). */
    Revoked,
    NotRevoked,
    /** The token was deleted (a revocation reason). */
    Deleted,
    InvalidSpec,
    PolicyViolation,
    SecretConflict,
    ReconcileError,
    OwnerNotFound,
    OwnerDeleted,
    /** A value revoked after a leak was presented and the token has {@code revokeOnReuse} (a revocation reason). */
    ReuseDetected,
    /** The token's current value was revoked for {@link #ReuseDetected} (a condition and an Event). */
    RevokedOnReuse,
    WorkloadsRestarted,
    /** Policy conditions. */
    Valid,
    InvalidPolicy;

    /** Reasons of Warning Events: something a person should look at. */
    private static final Set<Reason> WARNINGS = EnumSet.of(SecretRecreated, InvalidSpec, PolicyViolation,
            SecretConflict, ReconcileError, OwnerNotFound, OwnerDeleted, RevokedOnReuse);

    /**
     * Ready=False reasons that wait for a person (kstatus {@code Stalled=True}, Flux fails a health check at once):
     * nothing changes until the token's spec, a policy, its Secret or its ServiceAccount is changed, or a new
     * {@code kpat.dev/rotate} value is set.
     */
    private static final Set<Reason> STALLS = EnumSet.of(InvalidSpec, PolicyViolation, SecretConflict, OwnerDeleted,
            RevokedOnReuse, Expired);
    /**
     * Ready=False reasons the operator gets past on its own (kstatus {@code Reconciling=True}, a health check
     * waits): a failed API request is retried with backoff, a ServiceAccount owner that does not exist yet (in
     * GitOps usually applied with the token) is issued for as soon as it appears. Every other reason is settled:
     * a value is issued (Issued, Rotated), or the token was revoked on purpose ({@code spec.revoked}).
     */
    private static final Set<Reason> RECONCILES = EnumSet.of(ReconcileError, OwnerNotFound);

    /** Whether a token whose Ready condition has this reason is stuck until a person changes something. */
    public boolean stalls() {
        return STALLS.contains(this);
    }

    /** Whether a token whose Ready condition has this reason is still being worked on by the operator. */
    public boolean reconciles() {
        return RECONCILES.contains(this);
    }

    /** Whether an Event of this reason is a Warning (else Normal). */
    public boolean warning() {
        return WARNINGS.contains(this);
    }

    /** The reason of an issue. */
    public static Reason of(IssueReason issue) {
        return valueOf(issue.name());
    }

    /** A reason read back (from a condition, a record); null when it is none of these. */
    public static Reason parse(String s) {
        return Arrays.stream(values()).filter(r -> r.name().equals(s)).findFirst().orElse(null);
    }

    /** Whether this reason may stand in a record's {@code revocationReason} (the API's list). */
    public boolean isRevocation() {
        return RevocationReason.ALL.contains(name());
    }
}
