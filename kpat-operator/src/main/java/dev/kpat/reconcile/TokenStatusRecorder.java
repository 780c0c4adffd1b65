package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.api.PolicyBlock;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.PriorStatus;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Instant;
import java.util.List;

/**
 * The status of a PersonalAccessToken: the one place it is written, its reasons from {@link Reason}. Each status
 * starts from the previous one so history (revision, usage, transition times) carries over. Every status carries
 * {@code observedGeneration} and the kstatus conditions ({@code Reconciling}, {@code Stalled}) Flux reads, derived
 * from the Ready condition's reason ({@link Conditions#progress}).
 */
final class TokenStatusRecorder {
    private TokenStatusRecorder() {
    }

    /**
     * Sets the status {@code decision} and the writes it led to give, and returns the update: a status patch only when
     * the status changed, and a wake-up at the token's next expiry or renewal.
     */
    static UpdateControl<PersonalAccessToken> record(PersonalAccessToken pat, TokenDecision decision, Applied applied,
                                                     Instant now) {
        if (decision instanceof Live live) {
            return StatusWrites.wakeUpAfter(StatusWrites.patchIfChanged(pat, live(pat, live, applied, now)),
                    live.wakeUp());
        }
        if (decision instanceof NotReady notReady) {
            return StatusWrites.patchIfChanged(pat, notReady(pat, notReady, now));
        }
        if (decision instanceof TokenDecision.Revoke) {
            return StatusWrites.patchIfChanged(pat, revoked(pat, now));
        }
        return UpdateControl.noUpdate();
    }

    static PersonalAccessTokenStatus live(PersonalAccessToken pat, Live live, Applied applied, Instant now) {
        PersonalAccessTokenStatus s = copy(pat);
        TokenRecord current = applied.current();
        Long generation = pat.getMetadata().getGeneration();
        if (!current.getMetadata().getName().equals(s.getTokenId())) {
            s.setRevision((s.getRevision() == null ? 0 : s.getRevision()) + 1 + live.unrecorded());
        }
        s.setTokenId(current.getMetadata().getName());
        if (applied.hint() != null) {
            s.setTokenHint(applied.hint());
        }
        s.setSecretName(pat.secretName());
        s.setIssuedAt(live.issuedAt().toString());
        s.setExpiresAt(live.expiresAt() == null ? null : live.expiresAt().toString());
        s.setRenewalTime(live.renewalTime() == null ? null : live.renewalTime().toString());
        s.setObservedRotateRequest(pat.rotateRequest());
        s.setObservedGeneration(generation);
        s.setRevokedAt(null);
        s.setOwnerUid(live.ownerUid());
        s.setBlockedBy(null);
        mirrorUsage(s, current);
        List<Condition> c = s.getConditions();
        if (live.expired()) {
            String message = "the token expired at " + live.expiresAt();
            s.setPhase(Phase.Expired);
            c = Conditions.set(c, Conditions.READY, false, Reason.Expired, message, generation, now);
            c = Conditions.set(c, Conditions.EXPIRED, true, Reason.Expired, message, generation, now);
            c = Conditions.progress(c, Reason.Expired, message, generation, now);
        } else {
            s.setPhase(Phase.Active);
            String message = "value " + s.getTokenHint() + " (" + s.getTokenId() + ") is in Secret "
                    + pat.secretName() + (live.expiresAt() == null ? ", never expires"
                    : ", expires " + live.expiresAt());
            c = Conditions.set(c, Conditions.READY, true, live.readyReason(), message, generation, now);
            c = Conditions.progress(c, live.readyReason(), message, generation, now);
            c = Conditions.set(c, Conditions.EXPIRED, false, Reason.NotExpired, live.expiresAt() == null
                    ? "the token does not expire" : "the token expires at " + live.expiresAt(), generation, now);
        }
        c = Conditions.set(c, Conditions.REVOKED, false, Reason.NotRevoked, "the token is not revoked",
                generation, now);
        s.setConditions(c);
        return s;
    }

    static PersonalAccessTokenStatus revoked(PersonalAccessToken pat, Instant now) {
        PersonalAccessTokenStatus s = copy(pat);
        Long generation = pat.getMetadata().getGeneration();
        if (s.getRevokedAt() == null) {
            s.setRevokedAt(now.toString());
        }
        s.setPhase(Phase.Revoked);
        s.setObservedGeneration(generation);
        s.setRenewalTime(null);
        s.setBlockedBy(null);
        String message = "the token was revoked at " + s.getRevokedAt() + " and its Secret deleted";
        List<Condition> c = s.getConditions();
        c = Conditions.set(c, Conditions.READY, false, Reason.Revoked, message, generation, now);
        c = Conditions.set(c, Conditions.REVOKED, true, Reason.Revoked, message, generation, now);
        c = Conditions.progress(c, Reason.Revoked, message, generation, now);
        s.setConditions(c);
        return s;
    }

    /** The token gets no value: not ready, with the policy rules that block it, nothing else changes. */
    static PersonalAccessTokenStatus notReady(PersonalAccessToken pat, NotReady notReady, Instant now) {
        PersonalAccessTokenStatus s = notReady(pat, notReady.phase(), notReady.reason(), notReady.message(), now);
        s.setBlockedBy(notReady.violations().isEmpty() ? null : notReady.violations().stream()
                .map(v -> new PolicyBlock(v.policy().kind(), v.policy().namespace(), v.policy().name(), v.rule()))
                .toList());
        return s;
    }

    /** A reconcile that failed: the token is not ready until a retry succeeds. API error texts are summarised. */
    static PersonalAccessTokenStatus error(PersonalAccessToken pat, Exception e, Instant now) {
        String what = e instanceof KubernetesClientException k ? "Kubernetes API request failed (HTTP " + k.getCode()
                + "); retrying with backoff" : "reconcile failed (" + e.getClass().getSimpleName() + "); retrying";
        Phase shown = pat.getStatus() == null ? null : pat.getStatus().getPhase();
        return notReady(pat, PriorStatus.whileBlocked(shown), Reason.ReconcileError, what, now);
    }

    private static PersonalAccessTokenStatus notReady(PersonalAccessToken pat, Phase phase, Reason reason,
                                                      String message, Instant now) {
        PersonalAccessTokenStatus s = copy(pat);
        Long generation = pat.getMetadata().getGeneration();
        s.setPhase(phase);
        s.setObservedGeneration(generation);
        List<Condition> c = Conditions.set(s.getConditions(), Conditions.READY, false, reason, message, generation, now);
        s.setConditions(Conditions.progress(c, reason, message, generation, now));
        return s;
    }

    private static void mirrorUsage(PersonalAccessTokenStatus s, TokenRecord current) {
        var usage = current.getStatus();
        if (usage == null) {
            return;
        }
        if (usage.getLastUsedAt() != null) {
            s.setLastUsedAt(usage.getLastUsedAt());
        }
        if (usage.getUsageCount() != null) {
            s.setUsageCount(usage.getUsageCount());
        }
        if (usage.getRecentClientIPs() != null) {
            s.setRecentClientIPs(usage.getRecentClientIPs());
        }
    }

    private static PersonalAccessTokenStatus copy(PersonalAccessToken pat) {
        PersonalAccessTokenStatus old = pat.getStatus();
        PersonalAccessTokenStatus s = new PersonalAccessTokenStatus();
        if (old == null) {
            return s;
        }
        s.setPhase(old.getPhase());
        s.setConditions(old.getConditions() == null ? List.of() : List.copyOf(old.getConditions()));
        s.setTokenId(old.getTokenId());
        s.setTokenHint(old.getTokenHint());
        s.setSecretName(old.getSecretName());
        s.setIssuedAt(old.getIssuedAt());
        s.setExpiresAt(old.getExpiresAt());
        s.setRenewalTime(old.getRenewalTime());
        s.setRevision(old.getRevision());
        s.setRevokedAt(old.getRevokedAt());
        s.setOwnerUid(old.getOwnerUid());
        s.setObservedGeneration(old.getObservedGeneration());
        s.setObservedRotateRequest(old.getObservedRotateRequest());
        s.setLastUsedAt(old.getLastUsedAt());
        s.setUsageCount(old.getUsageCount());
        s.setRecentClientIPs(old.getRecentClientIPs());
        s.setBlockedBy(old.getBlockedBy());
        return s;
    }
}
