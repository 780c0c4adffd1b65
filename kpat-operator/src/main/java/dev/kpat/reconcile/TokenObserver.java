package dev.kpat.reconcile;

import dev.kpat.runtime.TerminatingNamespaces;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.LifecyclePlanner;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.lifecycle.PriorStatus;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.RecordFacts;
import dev.kpat.lifecycle.ServiceAccountName;
import dev.kpat.lifecycle.TokenDecision;
import dev.kpat.lifecycle.TokenFacts;
import dev.kpat.token.TokenHash;
import dev.kpat.token.TokenId;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what the planner decides on for one token. The Secret and the record it names are read from the API: a
 * value judged against a cache that is behind would be taken for tampered and replaced, and the operator caches only
 * its own Secrets (a foreign one must be seen to be left alone). The one exception is a cache that agrees with
 * status on the value the Secret holds, which suffices to keep that value ({@link #fromCache}). Everything else
 * comes from informer caches: older records (retiring them is idempotent, and a record the cache has not seen yet
 * is retired on its own event), policies, namespace labels and ServiceAccount owners. What a cache says about the owner or the namespace is read
 * again from the API ({@link #confirm}) before the planner lets it revoke or issue anything.
 */
final class TokenObserver {
    private final TokenCaches caches;
    private final TokenSecrets secrets;
    private final TokenRecords records;
    private final TerminatingNamespaces namespaces;
    private final Announcements announcements;

    TokenObserver(TokenCaches caches, TokenSecrets secrets, TokenRecords records, TerminatingNamespaces namespaces,
                  Announcements announcements) {
        this.caches = caches;
        this.secrets = secrets;
        this.records = records;
        this.namespaces = namespaces;
        this.announcements = announcements;
    }

    Observation observe(PersonalAccessToken pat) {
        PriorStatus status = prior(pat);
        if (pat.revoked()) {
            return new Observation(pat, new TokenFacts(pat.getSpec(), pat.secretName(), true, pat.rotateRequest(),
                    status, TokenFacts.Owner.USER, TokenFacts.Policies.NONE, TokenFacts.Secret.ABSENT, null, null,
                    List.of(), false, false, announcements.of(pat)), null, null);
        }
        Secret secret = secrets.get(pat);
        boolean managed = secret != null && TokenSecrets.isManagedFor(secret, pat);
        TokenValue value = managed ? TokenSecrets.valueOf(secret) : null;
        TokenRecord named = managed ? recordOf(pat, TokenSecrets.tokenIdOf(secret)) : null;
        TokenFacts.Secret secretFacts = secret == null ? TokenFacts.Secret.ABSENT : new TokenFacts.Secret(
                !managed ? SecretState.FOREIGN : value == null ? SecretState.EMPTY : SecretState.PRESENT,
                value == null ? null : value.hash(), value == null ? null : value.hint(),
                annotation(secret, Labels.EXPIRES_AT_ANNOTATION));
        return gather(pat, status, secret, secretFacts, named);
    }

    /**
     * The observation from the caches alone, when they can be trusted for it; else null, and the caller observes
     * ({@link #observe}). They can be when the token was never issued and the cache has no Secret of its (the issue
     * creates the Secret only if there is none), and when the cached Secret still holds the value status names and
     * no later record of the token is cached: a cache behind the API then shows what this operator last wrote, and
     * any change after it comes as an event. Only a decision to keep the value is taken on it ({@link #suffices}).
     */
    Observation fromCache(PersonalAccessToken pat) {
        PriorStatus status = prior(pat);
        if (pat.revoked()) {
            return null;
        }
        Secret cached = caches.cachedSecret(pat);
        if (cached == null) {
            return status.phase() == null && status.tokenId() == null
                    ? gather(pat, status, null, TokenFacts.Secret.ABSENT, null) : null;
        }
        String id = TokenSecrets.tokenIdOf(cached);
        String digest = annotation(cached, TokenSecrets.CACHED_DIGEST);
        boolean legacyOwner = ServiceAccountName.of(pat.getSpec().getOwner()).isPresent() && status.ownerUid() == null;
        if (!TokenSecrets.isManagedFor(cached, pat) || id == null || !id.equals(status.tokenId()) || digest == null
                || digest.isEmpty() || legacyOwner) {
            return null;
        }
        TokenRecord named = caches.cachedRecord(id);
        if (!issuedFor(named, pat) || named.getSpec().pending() || !TokenHash.matches(named.getSpec().getHash(),
                digest) || laterRecordCached(pat, named)) {
            return null;
        }
        return gather(pat, status, cached, new TokenFacts.Secret(SecretState.PRESENT, digest, null,
                annotation(cached, Labels.EXPIRES_AT_ANNOTATION)), named);
    }

    /** Whether a decision taken on {@link #fromCache} stands: a new token's first issue, or keeping the value. */
    static boolean suffices(Observation cached, TokenDecision decision) {
        return cached.secret() == null || decision instanceof TokenDecision.Live live
                && live.step() == LifecyclePlanner.Step.KEEP;
    }

    private boolean laterRecordCached(PersonalAccessToken pat, TokenRecord named) {
        Instant issuedAt = instant(named.getSpec().getIssuedAt());
        String id = named.getMetadata().getName();
        return caches.recordsOf(pat).stream().filter(r -> r.getSpec() != null && !id.equals(r.getMetadata().getName()))
                .anyMatch(r -> {
                    Instant other = instant(r.getSpec().getIssuedAt());
                    return r.getSpec().pending() || issuedAt == null || other == null || other.isAfter(issuedAt);
                });
    }

    private Observation gather(PersonalAccessToken pat, PriorStatus status, Secret secret,
                               TokenFacts.Secret secretFacts, TokenRecord named) {
        Optional<ServiceAccountName> sa = ServiceAccountName.of(pat.getSpec().getOwner());
        // the record status names: the last value issued when the Secret is gone, and what a legacy token is bound by
        TokenRecord last = secret == null || (sa.isPresent() && status.ownerUid() == null)
                ? (named != null && named.getMetadata().getName().equals(status.tokenId()) ? named
                : recordOf(pat, status.tokenId())) : null;
        TokenFacts.Owner owner = sa.isEmpty() ? TokenFacts.Owner.USER : new TokenFacts.Owner(
                caches.owners().cachedUid(sa.get()), status.ownerUid() != null ? status.ownerUid()
                : last == null ? null : last.getSpec().getOwnerUid());
        List<RecordFacts> all = caches.recordsOf(pat).stream().filter(r -> r.getSpec() != null)
                .map(TokenObserver::facts).toList();
        TokenFacts facts = new TokenFacts(pat.getSpec(), pat.secretName(), false, pat.rotateRequest(), status, owner,
                caches.policies().of(pat), secretFacts, named == null ? null : facts(named),
                secret == null && last != null ? facts(last) : null, all,
                caches.namespaces().terminating(pat.getMetadata().getNamespace()), false, announcements.of(pat),
                pat.getMetadata().getUid());
        return new Observation(pat, facts, secret, named);
    }

    /** The observation with the owner's uid and the namespace's state read from the API. */
    Observation confirm(Observation seen) {
        PersonalAccessToken pat = seen.pat();
        String uid = ServiceAccountName.of(pat.getSpec().getOwner()).map(sa -> caches.owners().liveUid(sa))
                .orElse(null);
        boolean terminating = namespaces.isTerminating(pat.getMetadata().getNamespace());
        return new Observation(pat, seen.facts().confirmedWith(uid, terminating), seen.secret(), seen.named());
    }

    private static PriorStatus prior(PersonalAccessToken pat) {
        var s = pat.getStatus();
        if (s == null) {
            return PriorStatus.NONE;
        }
        var ready = Conditions.find(s.getConditions(), Conditions.READY);
        return new PriorStatus(s.getPhase(), s.getTokenId(), instant(s.getIssuedAt()), s.getOwnerUid(),
                s.getObservedRotateRequest(), ready == null ? null : Reason.parse(ready.getReason()),
                ready == null ? null : ready.getMessage());
    }

    /** The record by that id, if it was issued for this very PAT (by uid). */
    private TokenRecord recordOf(PersonalAccessToken pat, String tokenId) {
        if (tokenId == null || !TokenId.isValid(tokenId)) {
            return null;
        }
        TokenRecord r = records.get(tokenId);
        return issuedFor(r, pat) ? r : null;
    }

    private static boolean issuedFor(TokenRecord r, PersonalAccessToken pat) {
        return r != null && r.getSpec() != null && r.getSpec().getTokenRef() != null
                && pat.getMetadata().getUid().equals(r.getSpec().getTokenRef().getUid());
    }

    static RecordFacts facts(TokenRecord r) {
        var spec = r.getSpec();
        var status = r.getStatus();
        Map<String, String> annotations = r.getMetadata().getAnnotations();
        return new RecordFacts(r.getMetadata().getName(), spec.getHash(), spec.pending(), instant(spec.getIssuedAt()),
                spec.getExpiresAt(), TokenRecords.isRetired(r), instant(spec.getRevokedAt()),
                spec.getRevocationReason(), status == null ? null : instant(status.getReuseDetectedAt()),
                spec.getBlockedBy(), spec.getScopes(), spec.getOwner(), spec.getOwnerUid(),
                IssueReason.parse(annotations == null ? null
                        : annotations.get(TokenRecords.ISSUE_REASON_ANNOTATION)),
                TokenRecords.rotateRequestOf(r));
    }

    private static String annotation(Secret secret, String key) {
        var annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
