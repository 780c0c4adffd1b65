package dev.kpat.lifecycle;

import dev.kpat.api.Phase;
import dev.kpat.lifecycle.ObservedToken.RecordState;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.lifecycle.TokenDecision.RecordEdit;
import dev.kpat.token.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Decides everything about one token from what was observed: revocation, holds, spec and policy refusals, the next
 * lifecycle step, what happens to older values (revoked, or kept for a grace period), the Expired transition, and
 * which Events and other side effects follow. Pure: no I/O, time passed in.
 */
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

    /** The whole decision for one token. */
    public static TokenDecision plan(TokenFacts facts, OperatorSettings settings, Instant now) {
        if (facts.revoked()) {
            return new TokenDecision.Revoke(facts.status().phase() != Phase.Revoked);
        }
        // the owner first: a deleted ServiceAccount's values are revoked whatever else is wrong with the token
        boolean rotationRequested = facts.rotationRequested();
        OwnerBinding.Decision owner = OwnerBinding.decide(facts.spec().getOwner(), facts.owner().currentUid(),
                facts.owner().boundUid(), facts.status().everIssued(), rotationRequested);
        NotReady ownerHold = Holds.owner(facts, owner);
        if (ownerHold != null) {
            return ownerHold.revokeLive() != null && !facts.confirmed() ? new TokenDecision.Confirm() : ownerHold;
        }
        SpecJudgement.Result judged = SpecJudgement.judge(facts, settings, now);
        if (judged.refusal() != null) {
            return judged.refusal();
        }
        TokenPlan plan = judged.plan().withRenewalJitterFor(facts.uid(), settings.rotationSpread());
        ObservedToken observed = observe(facts);
        RecordFacts last = facts.named() != null ? facts.named()
                : facts.secret().state() == SecretState.ABSENT ? facts.lastIssued() : null;
        NotReady hold = rotationRequested ? null : Holds.standing(facts, last);
        if (hold == null && observed.record() == RecordState.ACTIVE) {
            hold = Holds.reuse(facts, plan.revokeOnReuse(), facts.named());
        }
        if (hold != null) {
            return hold;
        }
        Decision decision = decide(plan, observed, now);
        if (decision.step() == Step.CONFLICT) {
            return secretConflict(facts);
        }
        if (decision.step() == Step.ISSUE && (facts.namespaceTerminating() || !facts.confirmed())) {
            // nothing can be created in a namespace being deleted; its controller deletes the token next
            return facts.namespaceTerminating() ? new TokenDecision.Wait() : new TokenDecision.Confirm();
        }
        return live(facts, plan, judged.prefix(), owner.uid(), decision, now);
    }

    /** A Secret of the token's name that is not kpat's for this token: nothing is touched. */
    public static NotReady secretConflict(TokenFacts facts) {
        String message = "Secret " + facts.secretName() + " exists and is not managed by kpat for this token;"
                + " delete it or set spec.secretName";
        return new NotReady(facts.status().phaseWhileBlocked(), Reason.SecretConflict, message, null, List.of(),
                null, !message.equals(facts.status().readyMessage()));
    }

    private static Live live(TokenFacts facts, TokenPlan plan, String prefix, String ownerUid, Decision decision,
                             Instant now) {
        RecordFacts current = decision.step() == Step.ISSUE ? null : facts.named();
        Instant issuedAt = current == null ? now : current.issuedAt();
        IssueReason announce = switch (decision.step()) {
            case ISSUE, ACTIVATE -> decision.reason();
            // the process that issued this value died after activating it, before status named it: its Event,
            // metric and workload restarts are still owed
            default -> current.id().equals(facts.status().tokenId()) || current.id().equals(facts.announced())
                    ? null : current.issueReason();
        };
        IssueReason currentReason = current == null ? decision.reason() : current.issueReason();
        Instant expiry = plan.expiryFor(issuedAt);
        String expiresAt = expiry == null ? null : expiry.toString();
        boolean expired = expiry != null && !now.isBefore(expiry);
        RecordEdit edit = current == null ? null : edit(current, plan, expiresAt, ownerUid);
        Reason ready = expired ? Reason.Expired : readyReason(facts, announce);
        return new Live(decision.step(), announce, plan, prefix, ownerUid,
                Retirements.of(facts.records(), current == null ? null : current.id(), currentReason, plan, now),
                edit, current != null && current.blockedBy() != null,
                current != null && !Objects.equals(expiresAt, facts.secret().expiresAt()),
                issuedAt, expiry, plan.renewalTimeFor(issuedAt), ready,
                expired && facts.status().phase() != Phase.Expired, nextWakeUp(plan, issuedAt, now),
                unrecorded(facts, current == null ? null : current.id()));
    }

    /**
     * Values issued after the one status names, other than the current one: a process died after activating such a
     * value and before status named it, and it was replaced before any status did (it was due again by the time an
     * operator ran, or a rotation was asked for meanwhile).
     */
    private static int unrecorded(TokenFacts facts, String currentId) {
        PriorStatus status = facts.status();
        return (int) facts.records().stream().filter(r -> !r.pending() && r.issuedAt() != null
                && !r.id().equals(currentId) && !r.id().equals(status.tokenId())
                && (status.issuedAt() == null || r.issuedAt().isAfter(status.issuedAt()))).count();
    }

    /** The Ready reason: what a new value says, else what status said (Rotated stays until the next value). */
    private static Reason readyReason(TokenFacts facts, IssueReason announced) {
        if (announced != null) {
            return announced == IssueReason.Rotated || announced == IssueReason.ManualRotation ? Reason.Rotated
                    : Reason.Issued;
        }
        return facts.status().readyReason() == Reason.Rotated ? Reason.Rotated : Reason.Issued;
    }

    /**
     * Scope, owner and lifetime edits apply to the current record in place: they take effect at once, without a new
     * value. A record issued before owners were bound gets the uid of its ServiceAccount owner. Null: nothing to do.
     */
    private static RecordEdit edit(RecordFacts current, TokenPlan plan, String expiresAt, String ownerUid) {
        boolean same = Objects.equals(current.scopes(), plan.scopes()) && Objects.equals(current.owner(), plan.owner())
                && Objects.equals(current.expiresAt(), expiresAt) && (ownerUid == null || current.ownerUid() != null);
        return same ? null : new RecordEdit(plan.scopes(), plan.owner(), expiresAt,
                current.ownerUid() == null ? ownerUid : current.ownerUid());
    }

    /** The Secret and the record it names, reduced to their states. */
    static ObservedToken observe(TokenFacts facts) {
        TokenFacts.Secret secret = facts.secret();
        RecordFacts named = facts.named();
        RecordState record;
        if (named == null) {
            record = RecordState.MISSING;
        } else if (secret.valueHash() == null || !TokenHash.matches(named.hash(), secret.valueHash())) {
            record = RecordState.MISMATCH;
        } else if (named.retired()) {
            record = RecordState.RETIRED;
        } else {
            record = named.pending() ? RecordState.PENDING : RecordState.ACTIVE;
        }
        String observedRotate = facts.status().observedRotateRequest();
        if (named != null && facts.rotateRequest() != null && facts.rotateRequest().equals(named.rotateRequest())) {
            // the Secret's value was issued under this very request: a crash kept status from recording it
            observedRotate = facts.rotateRequest();
        }
        boolean everIssued = facts.status().everIssued();
        return new ObservedToken(secret.state(), record, named == null ? null : named.issuedAt(),
                named == null ? null : named.issueReason(), everIssued, facts.rotateRequest(),
                everIssued ? observedRotate : facts.rotateRequest());
    }

    /** The next lifecycle step for a valid token, from the Secret's and its record's states. */
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
