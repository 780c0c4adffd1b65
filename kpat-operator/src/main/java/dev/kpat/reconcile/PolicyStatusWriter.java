package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenPolicySpec;
import dev.kpat.api.TokenPolicyStatus;
import dev.kpat.lifecycle.Reason;
import dev.kpat.policy.PolicyRef;
import dev.kpat.policy.PolicyValidation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The status of a TokenPolicy or ClusterTokenPolicy: whether it is valid, how many tokens it governs and blocks. */
final class PolicyStatusWriter {
    private PolicyStatusWriter() {
    }

    static TokenPolicyStatus status(TokenPolicyStatus old, PolicyRef ref, TokenPolicySpec spec, Long generation,
                                    List<PersonalAccessToken> governed, Instant now) {
        TokenPolicyStatus s = new TokenPolicyStatus();
        List<String> problems = PolicyValidation.problems(spec);
        int blocked = (int) governed.stream().filter(p -> blockedBy(p, ref)).count();
        s.setGovernedTokens(governed.size());
        s.setBlockedTokens(blocked);
        s.setObservedGeneration(generation);
        s.setConditions(problems.isEmpty()
                ? Conditions.set(old == null ? null : old.getConditions(), Conditions.READY, true, Reason.Valid,
                "governs " + governed.size() + " token(s), blocks " + blocked, generation, now)
                : Conditions.set(old == null ? null : old.getConditions(), Conditions.READY, false,
                Reason.InvalidPolicy, String.join("; ", problems)
                        + " (tokens it governs are blocked until this is fixed)", generation, now));
        return s;
    }

    /** Whether the token is held back by this policy: its {@code status.blockedBy} names it. */
    static boolean blockedBy(PersonalAccessToken pat, PolicyRef ref) {
        var blocks = pat.getStatus() == null ? null : pat.getStatus().getBlockedBy();
        return blocks != null && blocks.stream().anyMatch(b -> Objects.equals(ref.kind(), b.getKind())
                && Objects.equals(ref.namespace(), b.getNamespace()) && Objects.equals(ref.name(), b.getName()));
    }

    /** A token a policy counts: one not revoked. */
    static boolean live(PersonalAccessToken pat) {
        return pat.getSpec() != null && !pat.revoked();
    }
}
