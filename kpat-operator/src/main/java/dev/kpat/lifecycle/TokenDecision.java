package dev.kpat.lifecycle;

import dev.kpat.api.Phase;
import dev.kpat.lifecycle.LifecyclePlanner.Step;
import dev.kpat.policy.PolicyViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the {@link LifecyclePlanner} decided for one token: the writes, in what they change, and which best-effort
 * side effects (Events, metrics, workload restarts) follow them. The actor applies it, the recorders report it.
 */
public sealed interface TokenDecision {

    /**
     * Facts a cache gave (the owner's uid, whether the namespace is being deleted) would lead to a step that cannot
     * be undone (revoking values, issuing one): read them from the API and decide again.
     */
    record Confirm() implements TokenDecision {
    }

    /** Nothing may be written now: the namespace is being deleted (its controller deletes the token next). */
    record Wait() implements TokenDecision {
    }

    /**
     * {@code spec.revoked}: every value is revoked and the Secret deleted; status says Revoked.
     *
     * @param announce the first time: a {@code Revoked} Event
     */
    record Revoke(boolean announce) implements TokenDecision {
    }

    /**
     * The token gets no value now: an invalid spec, a policy, a Secret that is not kpat's, or a hold that waits
     * for a person.
     *
     * @param revokeLive  revoke every live value of the token for this reason first, or null
     * @param violations  the policy rules the token breaks (empty unless {@link Reason#PolicyViolation})
     * @param blockRecord the live record to block while policies forbid it, or null
     * @param announce    the message changed: a warning Event
     */
    record NotReady(Phase phase, Reason reason, String message, Reason revokeLive, List<PolicyViolation> violations,
                    String blockRecord, boolean announce) implements TokenDecision {
        public NotReady {
            violations = List.copyOf(violations);
        }
    }

    /**
     * The token has a value, or gets one.
     *
     * @param step            issue a new value, activate the Secret's pending one, or keep the Secret's
     * @param issueReason     why the value is new (ISSUE, ACTIVATE, or a value whose announcement is still owed);
     *                        null when nothing is announced
     * @param prefix          the prefix of a new value
     * @param ownerUid        the ServiceAccount uid values are bound to, or null for a user
     * @param retirements     what happens to the token's other records, after the new value is active
     * @param edit            scope, owner and lifetime edits for the current record, or null (never with ISSUE)
     * @param unblock         lift the current record's policy block
     * @param secretExpiry    the Secret's {@code kpat.dev/expires-at} changes (to {@link #expiresAt})
     * @param issuedAt        when the current value was (or is now) issued
     * @param expiresAt       when it expires, or null
     * @param renewalTime     when scheduled rotation replaces it, or null
     * @param readyReason     the Ready condition's reason
     * @param announceExpiry  the value just expired: an {@code Expired} Event
     * @param wakeUp          when to look again on its own (expiry or renewal), or null
     * @param unrecorded      values issued after the one status names and replaced before any status named them (a
     *                        process died in between): the revision counts them too
     */
    record Live(Step step, IssueReason issueReason, TokenPlan plan, String prefix, String ownerUid,
                List<Retirement> retirements, RecordEdit edit, boolean unblock, boolean secretExpiry,
                Instant issuedAt, Instant expiresAt, Instant renewalTime, Reason readyReason,
                boolean announceExpiry, Duration wakeUp, int unrecorded) implements TokenDecision {
        public Live {
            retirements = List.copyOf(retirements);
        }

        /** Whether the value is past its expiry (the planner says so by the Ready reason). */
        public boolean expired() {
            return readyReason == Reason.Expired;
        }

        /** Whether a new value is announced (Event, metric, and workload restarts after a rotation). */
        public boolean announce() {
            return issueReason != null;
        }
    }

    /** How one older record stops authenticating. */
    record Retirement(String recordId, How how, Instant validUntil, Reason reason) {
        public enum How {
            /** A pending leftover of an interrupted issue: it never authenticated. */
            DELETE,
            /** Valid until the end of the grace period after a scheduled rotation. */
            SUPERSEDE,
            REVOKE
        }
    }

    /** The current record's spec as the token's spec now says (edits take effect at once, without a new value). */
    record RecordEdit(List<String> scopes, String owner, String expiresAt, String ownerUid) {
    }
}
