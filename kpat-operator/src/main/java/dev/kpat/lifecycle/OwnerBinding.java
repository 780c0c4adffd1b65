package dev.kpat.lifecycle;

import java.util.Objects;

/**
 * Binds a ServiceAccount-owned token to one ServiceAccount by uid. Kubernetes reuses names, not uids: a ServiceAccount
 * deleted and created again under the same name is another identity (another owner, maybe other people's), so the
 * values issued for the first one must not work for the second. Pure: the caller looks the ServiceAccount up.
 */
public final class OwnerBinding {
    public enum Verdict {
        /** The owner is a user: nothing to bind. */
        USER,
        /** Issue and keep values for {@link Decision#uid()}: the ServiceAccount the token is bound to exists. */
        BOUND,
        /** The owner was replaced and the user asked for a rotation: new values bind to the new ServiceAccount. */
        REBIND,
        /** Never issued and the ServiceAccount does not exist (yet): wait for it, issue nothing. */
        WAITING,
        /** The bound ServiceAccount is gone: its values are revoked, nothing is issued. */
        OWNER_DELETED,
        /** The name now belongs to another ServiceAccount (another uid): as deleted, until a rotation rebinds. */
        OWNER_REPLACED;

        /** Whether values may be issued and kept. */
        public boolean allowsValues() {
            return this == USER || this == BOUND || this == REBIND;
        }
    }

    /** @param uid the uid new values bind to (BOUND, REBIND); else null */
    public record Decision(Verdict verdict, String uid) {
    }

    private OwnerBinding() {
    }

    /**
     * @param owner             the token's {@code spec.owner}
     * @param currentUid        the uid of the ServiceAccount of that name now, or null when there is none
     * @param boundUid          the uid the token's values are bound to, or null when none was recorded
     * @param everIssued        whether a value was ever issued for the token
     * @param rotationRequested whether a new {@code kpat.dev/rotate} value waits to be acted on
     */
    public static Decision decide(String owner, String currentUid, String boundUid, boolean everIssued,
                                  boolean rotationRequested) {
        if (ServiceAccountName.of(owner).isEmpty()) {
            return new Decision(Verdict.USER, null);
        }
        if (boundUid == null) {
            if (currentUid != null) {
                // first issue, or a token issued before bindings existed: bound to the ServiceAccount found now
                return new Decision(Verdict.BOUND, currentUid);
            }
            return new Decision(everIssued ? Verdict.OWNER_DELETED : Verdict.WAITING, null);
        }
        if (Objects.equals(currentUid, boundUid)) {
            return new Decision(Verdict.BOUND, boundUid);
        }
        if (currentUid == null) {
            return new Decision(Verdict.OWNER_DELETED, null);
        }
        return rotationRequested ? new Decision(Verdict.REBIND, currentUid)
                : new Decision(Verdict.OWNER_REPLACED, null);
    }
}
