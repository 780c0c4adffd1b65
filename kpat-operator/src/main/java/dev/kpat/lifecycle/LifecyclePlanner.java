package dev.kpat.lifecycle;

import dev.kpat.lifecycle.ObservedToken.RecordState;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import java.time.Duration;
import java.time.Instant;

/** Decides the next step for a valid token from what was observed. Pure: no I/O, time passed in. */
public final class LifecyclePlanner {

    public enum Step {
        /** Nothing to issue: the Secret holds the active value. */
        KEEP,
        /** Issue a new value (see {@link Decision#reason()}). */
        ISSUE,
        /** The Secret already holds a pending record's value: activate it, finishing an interrupted issue. */
        ACTIVATE,
        /** A Secret of that name belongs to someone else: touch nothing. */
        CONFLICT
    }

    public record Decision(Step step, IssueReason reason) {
    }

    private LifecyclePlanner() {
    }

    public static Decision decide(TokenPlan plan, ObservedToken observed, Instant now) {
        SecretState secret = observed.secret();
        if (secret == SecretState.FOREIGN) {
            return new Decision(Step.CONFLICT, null);
        }
        if (secret == SecretState.ABSENT) {
            return issue(observed.everIssued() ? IssueReason.SecretDeleted : IssueReason.Issued);
        }
        if (observed.record() == RecordState.RETIRED && observed.rotationRequested()) {
            // a value the operator revoked on its own (owner deleted, reuse detected) waits for exactly this
            return issue(IssueReason.ManualRotation);
        }
        if (secret == SecretState.EMPTY || observed.record() == RecordState.MISSING
                || observed.record() == RecordState.MISMATCH || observed.record() == RecordState.RETIRED) {
            return issue(IssueReason.SecretTampered);
        }
        if (observed.record() == RecordState.PENDING) {
            return new Decision(Step.ACTIVATE, observed.pendingReason());
        }
        if (observed.rotationRequested()) {
            return issue(IssueReason.ManualRotation);
        }
        Instant renewal = plan.renewalTimeFor(observed.recordIssuedAt());
        if (renewal != null && !now.isBefore(renewal)) {
            return issue(IssueReason.Rotated);
        }
        return new Decision(Step.KEEP, null);
    }

    private static Decision issue(IssueReason reason) {
        return new Decision(Step.ISSUE, reason);
    }

    /**
     * How long until the next instant the lifecycle must act on its own: the expiry or the renewal time of the
     * current value, whichever comes first and is still ahead. Null when nothing is scheduled.
     */
    public static Duration nextWakeUp(TokenPlan plan, Instant issuedAt, Instant now) {
        Instant next = null;
        for (Instant t : new Instant[] {plan.expiryFor(issuedAt), plan.renewalTimeFor(issuedAt)}) {
            if (t != null && t.isAfter(now) && (next == null || t.isBefore(next))) {
                next = t;
            }
        }
        return next == null ? null : Duration.between(now, next);
    }
}
