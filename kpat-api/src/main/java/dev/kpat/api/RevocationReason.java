package dev.kpat.api;

import java.util.Set;

/**
 * The values of a TokenRecord's {@code spec.revocationReason}: why a value stopped authenticating. Shared by the
 * operator, which writes them, and verifiers, which answer and raise signals by them.
 */
public final class RevocationReason {
    /** {@code spec.revoked: true} on the token. */
    public static final String REVOKED = "Revoked";
    /** The token was deleted (its finalizer revoked its values). */
    public static final String DELETED = "Deleted";
    /** A new {@code kpat.dev/rotate} value: the response to a leak. */
    public static final String MANUAL_ROTATION = "ManualRotation";
    public static final String SECRET_DELETED = "SecretDeleted";
    public static final String SECRET_TAMPERED = "SecretTampered";
    /** The ServiceAccount the value was issued for (by uid) was deleted. */
    public static final String OWNER_DELETED = "OwnerDeleted";
    /** A value revoked after a leak was presented and the token has {@code revokeOnReuse}. */
    public static final String REUSE_DETECTED = "ReuseDetected";

    /** Every value, as the CRD documents them. */
    public static final Set<String> ALL = Set.of(REVOKED, DELETED, MANUAL_ROTATION, SECRET_DELETED, SECRET_TAMPERED,
            OWNER_DELETED, REUSE_DETECTED);

    /**
     * Revoked values whose use means someone holds a value that was killed on purpose (a rotation after a leak, a
     * revocation, a revocation for reuse): presenting one raises the {@code RevokedTokenUsed} signal. Values retired
     * by routine (a deleted Secret, a deleted token, a deleted owner) do not.
     */
    public static final Set<String> LEAK_RESPONSES = Set.of(MANUAL_ROTATION, REVOKED, REUSE_DETECTED);

    /** Revocations the operator made on its own that hold the token until a person rotates it. */
    public static final Set<String> NEEDS_ROTATION = Set.of(OWNER_DELETED, REUSE_DETECTED);

    private RevocationReason() {
    }
}
