package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.TokenPlan;
import java.time.Instant;
import java.util.List;

/**
 * Builds the status of a PersonalAccessToken: the one place status is written. Each method starts from the
 * previous status so history (revision, usage, transition times) carries over.
 */
final class TokenStatusWriter {
    static final String REASON_ISSUED = "Issued";
    static final String REASON_ROTATED = "Rotated";
    static final String REASON_EXPIRED = "Expired";
    static final String REASON_REVOKED = "Revoked";
    static final String REASON_INVALID_SPEC = "InvalidSpec";
    static final String REASON_SECRET_CONFLICT = "SecretConflict";
    static final String REASON_POLICY_VIOLATION = "PolicyViolation";
    static final String REASON_RECONCILE_ERROR = "ReconcileError";
    static final String REASON_NOT_EXPIRED = "NotExpired";
    static final String REASON_NOT_REVOKED = "NotRevoked";
    /** The ServiceAccount a token is bound to was deleted (or replaced by another of the same name). */
    static final String REASON_OWNER_DELETED = "OwnerDeleted";
    /** The ServiceAccount owner of a token never issued does not exist yet. */
    static final String REASON_OWNER_NOT_FOUND = "OwnerNotFound";
    /** The current value was revoked because a value revoked after a leak was used again (revokeOnReuse). */
    static final String REASON_REVOKED_ON_REUSE = "RevokedOnReuse";

    private TokenStatusWriter() {
    }

    static PersonalAccessTokenStatus live(PersonalAccessToken pat, TokenRecord current, String hint, TokenPlan plan,
                                          String readyReason, Instant now) {
        PersonalAccessTokenStatus s = copy(pat);
        Long generation = pat.getMetadata().getGeneration();
        boolean newValue = !current.getMetadata().getName().equals(s.getTokenId());
        if (newValue) {
            s.setRevision((s.getRevision() == null ? 0 : s.getRevision()) + 1);
        }
        Instant issuedAt = Instant.parse(current.getSpec().getIssuedAt());
        Instant expiry = plan.expiryFor(issuedAt);
        Instant renewal = plan.renewalTimeFor(issuedAt);
        boolean expired = expiry != null && !now.isBefore(expiry);
        s.setTokenId(current.getMetadata().getName());
        if (hint != null) {
            s.setTokenHint(hint);
        }
        s.setSecretName(pat.secretName());
        s.setIssuedAt(issuedAt.toString());
        s.setExpiresAt(expiry == null ? null : expiry.toString());
        s.setRenewalTime(renewal == null ? null : renewal.toString());
        s.setObservedRotateRequest(pat.rotateRequest());
        s.setObservedGeneration(generation);
        s.setRevokedAt(null);
        mirrorUsage(s, current);
        List<io.fabric8.kubernetes.api.model.Condition> c = s.getConditions();
        if (expired) {
            s.setPhase(Phase.Expired);
            c = Conditions.set(c, Conditions.READY, false, REASON_EXPIRED, "the token expired at " + expiry,
                    generation, now);
            c = Conditions.set(c, Conditions.EXPIRED, true, REASON_EXPIRED, "the token expired at " + expiry,
                    generation, now);
        } else {
            s.setPhase(Phase.Active);
            String message = "value " + s.getTokenHint() + " (" + s.getTokenId() + ") is in Secret "
                    + pat.secretName() + (expiry == null ? ", never expires" : ", expires " + expiry);
            c = Conditions.set(c, Conditions.READY, true, readyReason, message, generation, now);
            c = Conditions.set(c, Conditions.EXPIRED, false, REASON_NOT_EXPIRED,
                    expiry == null ? "the token does not expire" : "the token expires at " + expiry, generation, now);
        }
        c = Conditions.set(c, Conditions.REVOKED, false, REASON_NOT_REVOKED, "the token is not revoked",
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
        String message = "the token was revoked at " + s.getRevokedAt() + " and its Secret deleted";
        List<io.fabric8.kubernetes.api.model.Condition> c = s.getConditions();
        c = Conditions.set(c, Conditions.READY, false, REASON_REVOKED, message, generation, now);
        c = Conditions.set(c, Conditions.REVOKED, true, REASON_REVOKED, message, generation, now);
        s.setConditions(c);
        return s;
    }

    /** The token cannot be issued (invalid spec, Secret conflict, or an error): not ready, nothing else changes. */
    static PersonalAccessTokenStatus notReady(PersonalAccessToken pat, Phase phase, String reason, String message,
                                              Instant now) {
        PersonalAccessTokenStatus s = copy(pat);
        Long generation = pat.getMetadata().getGeneration();
        s.setPhase(phase);
        s.setObservedGeneration(generation);
        s.setConditions(Conditions.set(s.getConditions(), Conditions.READY, false, reason, message, generation, now));
        return s;
    }

    /** The phase to show while a token cannot be issued: Failed for a bad spec, else what it was (or Pending). */
    static Phase phaseWhileBlocked(PersonalAccessToken pat) {
        Phase p = pat.getStatus() == null ? null : pat.getStatus().getPhase();
        return p == null || p == Phase.Failed ? Phase.Pending : p;
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
        return s;
    }
}
