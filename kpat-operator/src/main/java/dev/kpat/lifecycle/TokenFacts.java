package dev.kpat.lifecycle;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyRef;
import java.util.List;
import java.util.Map;

/**
 * Everything the {@link LifecyclePlanner} decides on for one PersonalAccessToken, as the observer gathered it: the
 * planner reads nothing itself.
 *
 * @param revoked         {@code spec.revoked}, or status recorded a revocation (it is final)
 * @param rotateRequest   the {@code kpat.dev/rotate} annotation, or null
 * @param named           the record the Secret names, if the Secret is this token's and the record was issued for it
 * @param lastIssued      the record status names, when the Secret is gone
 * @param records         every record of the token (from a cache: one not seen yet is retired on its own event)
 * @param confirmed       whether what caches said (the owner, the namespace) was read again from the API
 * @param announced       the token id this process last announced for the token (what a crash forgets)
 * @param uid             the PersonalAccessToken's uid (it fixes the token's place in the renewal window), or null
 */
public record TokenFacts(
        PersonalAccessTokenSpec spec,
        String secretName,
        boolean revoked,
        String rotateRequest,
        PriorStatus status,
        Owner owner,
        Policies policies,
        Secret secret,
        RecordFacts named,
        RecordFacts lastIssued,
        List<RecordFacts> records,
        boolean namespaceTerminating,
        boolean confirmed,
        String announced,
        String uid) {

    public TokenFacts(PersonalAccessTokenSpec spec, String secretName, boolean revoked, String rotateRequest,
                      PriorStatus status, Owner owner, Policies policies, Secret secret, RecordFacts named,
                      RecordFacts lastIssued, List<RecordFacts> records, boolean namespaceTerminating,
                      boolean confirmed, String announced) {
        this(spec, secretName, revoked, rotateRequest, status, owner, policies, secret, named, lastIssued, records,
                namespaceTerminating, confirmed, announced, null);
    }

    /**
     * @param currentUid the uid of the ServiceAccount the owner names now, or null (none, or a user owner)
     * @param boundUid   the uid the token's values are bound to, or null when none was recorded
     */
    public record Owner(String currentUid, String boundUid) {
        public static final Owner USER = new Owner(null, null);
    }

    /**
     * @param applied         the policies that govern the token
     * @param liveTokensAhead for each of them, the live tokens of the same owner it governs that came first
     */
    public record Policies(List<AppliedPolicy> applied, Map<PolicyRef, Integer> liveTokensAhead) {
        public static final Policies NONE = new Policies(List.of(), Map.of());
    }

    /**
     * @param state     the Secret named by the spec
     * @param valueHash the hash of the value it holds, or null
     * @param hint      the hint of that value, or null
     * @param expiresAt its {@code kpat.dev/expires-at} annotation, or null
     */
    public record Secret(SecretState state, String valueHash, String hint, String expiresAt) {
        public static final Secret ABSENT = new Secret(SecretState.ABSENT, null, null, null);
    }

    /** Whether a new {@code kpat.dev/rotate} value waits to be acted on (before the first issue there is nothing to rotate). */
    public boolean rotationRequested() {
        return status.everIssued() && rotateRequest != null && !rotateRequest.equals(status.observedRotateRequest());
    }

    /** These facts, with what caches said read again from the API. */
    public TokenFacts confirmedWith(String currentOwnerUid, boolean terminating) {
        return new TokenFacts(spec, secretName, revoked, rotateRequest, status,
                new Owner(currentOwnerUid, owner.boundUid()), policies, secret, named, lastIssued, records,
                terminating, true, announced, uid);
    }
}
