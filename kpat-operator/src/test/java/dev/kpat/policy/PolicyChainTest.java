package dev.kpat.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.RotationSpec;
import dev.kpat.api.TokenPolicySpec;
import dev.kpat.token.Scope;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PolicyChainTest {
    private static final PolicyRef BASELINE = PolicyRef.cluster("baseline");
    private static final PolicyRef TEAM = PolicyRef.namespaced("team-a", "strict");

    private static AppliedPolicy policy(PolicyRef ref, Consumer<TokenPolicySpec> edit) {
        TokenPolicySpec spec = new TokenPolicySpec();
        edit.accept(spec);
        return new AppliedPolicy(ref, spec);
    }

    private static PolicySubject token(String owner, List<String> scopes, Duration lifetime) {
        return new PolicySubject(owner, scopes, lifetime, ref -> 0);
    }

    private static List<String> violations(List<AppliedPolicy> policies, PolicySubject token) {
        return PolicyChain.evaluate(policies, token).stream().map(PolicyViolation::toString).toList();
    }

    @Test
    void scopePatternsCoverAndOverlap() {
        assertThat(ScopePattern.parse("read:*").covers(Scope.parse("read"))).isTrue();
        assertThat(ScopePattern.parse("read:*").covers(Scope.parse("read:tasks"))).isTrue();
        assertThat(ScopePattern.parse("read:tasks").covers(Scope.parse("read"))).isFalse();
        assertThat(ScopePattern.parse("*:tasks").covers(Scope.parse("write:tasks"))).isTrue();
        assertThat(ScopePattern.parse("*:tasks").covers(Scope.parse("write"))).isFalse();
        assertThat(ScopePattern.parse("read").covers(Scope.parse("*"))).isFalse();
        assertThat(ScopePattern.parse("admin:secrets").overlaps(Scope.parse("admin"))).isTrue();
        assertThat(ScopePattern.parse("admin:*").overlaps(Scope.parse("read"))).isFalse();
        assertThat(ScopePattern.parse("write").overlaps(Scope.parse("*"))).isTrue();
    }

    @Test
    void ownerPatternsIncludeImpliedGroups() {
        assertThat(OwnerPattern.parse("system:serviceaccount:ci:*").matches("system:serviceaccount:ci:deployer")).isTrue();
        assertThat(OwnerPattern.parse("system:serviceaccount:ci:*").matches("system:serviceaccount:prod:x")).isFalse();
        assertThat(OwnerPattern.parse("group:system:serviceaccounts:ci").matches("system:serviceaccount:ci:a")).isTrue();
        assertThat(OwnerPattern.parse("group:system:serviceaccounts:ci").matches("alice")).isFalse();
        assertThat(OwnerPattern.parse("*").matches("anyone")).isTrue();
        assertThat(OwnerPattern.parse("al*e").matches("alice")).isTrue();
        assertThat(OwnerPattern.parse("al*e").matches("alicia")).isFalse();
    }

    /**
     * Only a name a ServiceAccount can have implies ServiceAccount groups: the operator binds such tokens to a
     * ServiceAccount and the verifier tells the API server the same groups, so a policy must read the name alike.
     */
    @Test
    void onlyARealServiceAccountNameImpliesServiceAccountGroups() {
        OwnerPattern serviceAccounts = OwnerPattern.parse("group:system:serviceaccounts");
        assertThat(serviceAccounts.matches("system:serviceaccount:ci:deployer")).isTrue();
        assertThat(serviceAccounts.matches("system:serviceaccount:Not_A_Namespace:deployer")).isFalse();
        assertThat(serviceAccounts.matches("system:serviceaccount:ci:")).isFalse();
        assertThat(OwnerPattern.parse("group:system:authenticated").matches("system:serviceaccount:ci:")).isTrue();
    }

    @Test
    void eachRuleNamesItsPolicy() {
        var strict = policy(TEAM, p -> {
            p.setAllowedScopes(List.of("read:*", "write:tasks"));
            p.setDeniedScopes(List.of("write:secrets"));
            p.setMaxLifetime("30d");
            p.setAllowedOwners(List.of("alice", "system:serviceaccount:team-a:*"));
        });
        assertThat(violations(List.of(strict), token("alice", List.of("read", "write:tasks"), Duration.ofDays(30))))
                .isEmpty();
        assertThat(violations(List.of(strict), token("bob", List.of("read"), Duration.ofDays(1))))
                .containsExactly("TokenPolicy team-a/strict: allowedOwners: owner 'bob' is not in [alice,"
                        + " system:serviceaccount:team-a:*]");
        assertThat(violations(List.of(strict), token("alice", List.of("write"), Duration.ofDays(1))))
                .containsExactly("TokenPolicy team-a/strict: allowedScopes: scopes [write] are outside [read:*,"
                        + " write:tasks]", "TokenPolicy team-a/strict: deniedScopes: scopes [write] are denied by"
                        + " [write:secrets]");
        assertThat(violations(List.of(strict), token("alice", List.of("*"), Duration.ofDays(1))))
                .containsExactly("TokenPolicy team-a/strict: allowWildcardScope: scope '*' is not allowed",
                        "TokenPolicy team-a/strict: deniedScopes: scopes [*] are denied by [write:secrets]");
        assertThat(violations(List.of(strict), token("alice", List.of("read"), Duration.ofDays(31))))
                .containsExactly("TokenPolicy team-a/strict: maxLifetime: lifetime 31d exceeds 30d");
        assertThat(violations(List.of(strict), token("alice", List.of("read"), null)))
                .containsExactly("TokenPolicy team-a/strict: requireExpiry: tokens must expire");
    }

    @Test
    void maxTokensPerOwnerCountsOlderLiveTokens() {
        var limited = policy(BASELINE, p -> p.setMaxTokensPerOwner(2));
        assertThat(PolicyChain.evaluate(List.of(limited), new PolicySubject("alice", List.of("read"),
                Duration.ofDays(1), ref -> 1))).isEmpty();
        assertThat(violations(List.of(limited), new PolicySubject("alice", List.of("read"), Duration.ofDays(1),
                ref -> 2))).containsExactly("ClusterTokenPolicy baseline: maxTokensPerOwner: owner 'alice' already"
                + " has 2 live tokens; at most 2 are allowed");
    }

    @Test
    void unreadablePolicyFailsClosed() {
        var broken = policy(BASELINE, p -> p.setAllowedScopes(List.of("READ")));
        assertThat(violations(List.of(broken), token("alice", List.of("read"), Duration.ofDays(1))))
                .singleElement().asString().contains("allowedScopes: the policy is invalid: scope pattern 'READ'");
    }

    /** The worked example in README: a cluster baseline and a stricter team policy, field by field. */
    @Test
    void workedExampleMostRestrictiveWins() {
        var baseline = policy(BASELINE, p -> {
            p.setMaxLifetime("90d");
            p.setDefaultLifetime("30d");
            p.setDeniedScopes(List.of("admin:*"));
            RotationSpec r = new RotationSpec();
            r.setEnabled(true);
            p.setRotation(r);
            p.setTokenPrefix("corp_");
        });
        var team = policy(TEAM, p -> {
            p.setMaxLifetime("14d");
            p.setDefaultLifetime("7d");
            p.setAllowedScopes(List.of("read:*", "write:tasks"));
            p.setTokenPrefix("teama_");
        });
        var both = List.of(baseline, team);
        // limits: every policy's rule must hold, so the stricter one decides
        assertThat(violations(both, token("alice", List.of("read"), Duration.ofDays(30))))
                .containsExactly("TokenPolicy team-a/strict: maxLifetime: lifetime 30d exceeds 14d");
        assertThat(violations(both, token("alice", List.of("admin:tokens"), Duration.ofDays(7))))
                .containsExactly("ClusterTokenPolicy baseline: deniedScopes: scopes [admin:tokens] are denied by"
                        + " [admin:*]", "TokenPolicy team-a/strict: allowedScopes: scopes [admin:tokens] are"
                        + " outside [read:*, write:tasks]");
        // defaults: shortest lifetime; rotation and prefix from the most specific policy that sets them
        PolicyDefaults defaults = PolicyDefaults.of(both);
        assertThat(defaults.defaultLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.tokenPrefix()).isEqualTo("teama_");
        assertThat(defaults.rotation().isEnabled()).isTrue();
        assertThat(PolicyDefaults.of(List.of())).isEqualTo(PolicyDefaults.NONE);
    }
}
