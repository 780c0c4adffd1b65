package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.ClusterTokenPolicy;
import dev.kpat.api.ClusterTokenPolicySpec;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.RotationSpec;
import dev.kpat.api.TokenPolicy;
import dev.kpat.api.TokenPolicySpec;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.RecordIndexer;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies at issue time and at use time, their selection and merging, and their status. Runs on the embedded mock
 * API ({@link PolicyEnforcementTest}) and on a real control plane with the chart's RBAC
 * ({@link PolicyEnforcementOnRealServerTest}). ClusterTokenPolicies are cluster-wide, so each selects only the
 * test's own namespaces (a shared real cluster has others) and is deleted after the test.
 */
abstract class PolicyEnforcementContract {
    protected OperatorHarness h;
    private String teamA;
    private String teamB;
    private final List<ClusterTokenPolicy> clusterPolicies = new ArrayList<>();

    /** A harness on this backend, its operator not started yet. */
    @BeforeEach
    void start(Harnesses harnesses) {
        h = harnesses.create().start(OperatorSettings.defaults());
        teamA = h.namespace("team-a", Map.of("kpat.dev/tier", "restricted"));
        teamB = h.namespace("team-b", Map.of());
    }

    @AfterEach
    void stop() {
        clusterPolicies.forEach(p -> h.client.resource(p).delete());
        h.close();
    }

    /** A ClusterTokenPolicy limited to this test's namespaces (and, if given, to those with {@code labels}). */
    private ClusterTokenPolicy clusterPolicy(String name, Map<String, String> labels,
                                             Consumer<ClusterTokenPolicySpec> edit) {
        ClusterTokenPolicy p = new ClusterTokenPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name + "-" + h.ns).build());
        ClusterTokenPolicySpec spec = new ClusterTokenPolicySpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(labels)
                .addNewMatchExpression().withKey(OperatorHarness.NAMESPACE_NAME_LABEL).withOperator("In")
                .withValues(h.ownNamespaces()).endMatchExpression().build());
        edit.accept(spec);
        p.setSpec(spec);
        p = h.client.resource(p).create();
        clusterPolicies.add(p);
        return p;
    }

    private TokenPolicy tokenPolicy(String ns, String name, Consumer<TokenPolicySpec> edit) {
        TokenPolicy p = new TokenPolicy();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        TokenPolicySpec spec = new TokenPolicySpec();
        edit.accept(spec);
        p.setSpec(spec);
        return h.client.resource(p).create();
    }

    private static Condition ready(PersonalAccessToken p) {
        return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    private static boolean violates(PersonalAccessToken p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "PolicyViolation".equals(c.getReason()));
    }

    @Test
    void aTokenThatBreaksPolicyIsNotIssued() {
        tokenPolicy(h.ns, "strict", p -> p.setMaxLifetime("30d"));
        h.create("long", s -> s.setTtl("60d"));
        PersonalAccessToken pat = h.awaitPat("long", PolicyEnforcementContract::violates);
        assertThat(ready(pat).getMessage())
                .isEqualTo("TokenPolicy " + h.ns + "/strict: maxLifetime: lifetime 60d exceeds 30d");
        assertThat(pat.getStatus().getPhase().name()).isEqualTo("Failed");
        assertThat(pat.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Stalled");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("PolicyViolation");
        });
        assertThat(h.secret("long")).isNull();
        assertThat(h.recordsOf(pat)).isEmpty();
        assertThat(h.hasEvent("long", "PolicyViolation")).isTrue();
        // fixing the token issues it
        h.editSpec("long", s -> s.setTtl("30d"));
        h.awaitPat("long", p -> phaseIs(p, "Active"));
    }

    @Test
    void tighteningBlocksAndLooseningUnblocksTheSameValue() {
        h.create("writer", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("writer", p -> phaseIs(p, "Active"));
        String value = h.valueIn("writer");
        String id = pat.getStatus().getTokenId();
        TokenIndex index = new TokenIndex();
        try (RecordIndexer indexer = new RecordIndexer(h.client, index).start()) {
            TokenVerifier verifier = new TokenVerifier(index, h.clock);
            await().until(() -> verifier.verify(value, List.of()).outcome() == Outcome.ACTIVE);

            TokenPolicy strict = tokenPolicy(h.ns, "no-writes", p -> p.setDeniedScopes(List.of("write:*")));
            pat = h.awaitPat("writer", PolicyEnforcementContract::violates);
            assertThat(ready(pat).getMessage())
                    .isEqualTo("TokenPolicy " + h.ns
                            + "/no-writes: deniedScopes: scopes [write:tasks] are denied by [write:*]");
            assertThat(h.record(id).getSpec().getBlockedBy()).contains("no-writes");
            assertThat(h.record(id).getSpec().getRevokedAt()).as("blocked, not revoked").isNull();
            await().until(() -> verifier.verify(value, List.of()).outcome() == Outcome.POLICY);
            await().until(() -> {
                var st = h.client.resource(strict).get().getStatus();
                return st != null && st.getBlockedTokens() == 1 && st.getGovernedTokens() == 1;
            });

            h.client.resource(strict).delete();
            pat = h.awaitPat("writer", p -> phaseIs(p, "Active"));
            assertThat(pat.getStatus().getTokenId()).isEqualTo(id);
            assertThat(h.valueIn("writer")).isEqualTo(value);
            assertThat(h.record(id).getSpec().getBlockedBy()).isNull();
            await().until(() -> verifier.verify(value, List.of()).outcome() == Outcome.ACTIVE);
        }
    }

    @Test
    void clusterPoliciesApplyToTheNamespacesTheySelect() {
        ClusterTokenPolicy policy = clusterPolicy("restricted", Map.of("kpat.dev/tier", "restricted"),
                spec -> spec.setAllowedScopes(List.of("read:*")));
        h.create(teamA, "reader", s -> s.setScopes(List.of("read")));
        h.create(teamA, "writer", s -> s.setScopes(List.of("write:tasks")));
        h.create(teamB, "writer", s -> s.setScopes(List.of("write:tasks")));
        await().atMost(Duration.ofSeconds(10)).until(() -> phaseIs(h.get(teamA, "reader"), "Active")
                && violates(h.get(teamA, "writer")) && phaseIs(h.get(teamB, "writer"), "Active"));
        assertThat(ready(h.get(teamA, "writer")).getMessage()).isEqualTo("ClusterTokenPolicy "
                + policy.getMetadata().getName() + ": allowedScopes: scopes [write:tasks] are outside [read:*]");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var st = h.client.resource(policy).get().getStatus();
            return st != null && st.getGovernedTokens() == 2 && st.getBlockedTokens() == 1;
        });
        assertThat(h.client.resource(policy).get().getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).isEqualTo("governs 2 token(s), blocks 1"));
    }

    @Test
    void relabellingANamespaceRejudgesItsTokens() throws InterruptedException {
        ClusterTokenPolicy policy = clusterPolicy("relabel", Map.of("kpat.dev/tier", "restricted"),
                spec -> spec.setAllowedScopes(List.of("read:*")));
        await().atMost(Duration.ofSeconds(10)).until(() -> h.client.resource(policy).get().getStatus() != null);
        h.create(teamB, "writer", s -> s.setScopes(List.of("write:tasks")));
        await().atMost(Duration.ofSeconds(10)).until(() -> phaseIs(h.get(teamB, "writer"), "Active"));
        // past the operator's second look after its own status write: only the relabelling can act now
        Thread.sleep(StatusWrites.RECHECK.toMillis() + 500);

        label(teamB, "restricted");
        await().atMost(Duration.ofSeconds(10)).until(() -> violates(h.get(teamB, "writer")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var st = h.client.resource(policy).get().getStatus();
            return st != null && st.getGovernedTokens() == 1 && st.getBlockedTokens() == 1;
        });

        label(teamB, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> phaseIs(h.get(teamB, "writer"), "Active"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var st = h.client.resource(policy).get().getStatus();
            return st != null && st.getGovernedTokens() == 0 && st.getBlockedTokens() == 0;
        });
    }

    /** Sets (or, with null, removes) the tier label of a namespace, as {@code kubectl label} does. */
    private void label(String namespace, String tier) {
        h.client.namespaces().withName(namespace).edit(n -> {
            if (tier == null) {
                n.getMetadata().getLabels().remove("kpat.dev/tier");
            } else {
                n.getMetadata().getLabels().put("kpat.dev/tier", tier);
            }
            return n;
        });
    }

    @Test
    void mostRestrictiveWinsAndDefaultsApply() {
        clusterPolicy("baseline", Map.of(), b -> {
            b.setMaxLifetime("90d");
            b.setDefaultLifetime("30d");
            b.setTokenPrefix("corp_");
        });
        tokenPolicy(h.ns, "team", p -> {
            p.setMaxLifetime("14d");
            p.setDefaultLifetime("7d");
            RotationSpec r = new RotationSpec();
            r.setEnabled(true);
            r.setRenewBefore("2d");
            p.setRotation(r);
        });
        h.create("defaulted", s -> { });
        PersonalAccessToken pat = h.awaitPat("defaulted", p -> phaseIs(p, "Active"));
        assertThat(pat.getStatus().getExpiresAt()).isEqualTo("2026-12-01T12:00:00Z");
        // the policy's renewBefore, with the token's own place in the first fifth of that window (RenewalJitter)
        assertThat(pat.getStatus().getRenewalTime()).isEqualTo(java.time.Instant.parse("2026-11-29T12:00:00Z")
                .plus(dev.kpat.lifecycle.RenewalJitter.delay(pat.getMetadata().getUid(), java.time.Duration.ofDays(2),
                        dev.kpat.lifecycle.OperatorSettings.DEFAULT_ROTATION_SPREAD))
                .toString());
        assertThat(h.valueIn("defaulted")).startsWith("corp_");
        assertThat(pat.getSpec().getTtl()).as("defaults are never written into the spec").isNull();

        // a fixed expiry cannot rotate: the policy's rotation default is not forced on it
        h.create("fixed", s -> s.setExpiresAt("2026-12-01T00:00:00Z"));
        PersonalAccessToken fixed = h.awaitPat("fixed", p -> phaseIs(p, "Active"));
        assertThat(fixed.getStatus().getRenewalTime()).isNull();

        h.create("too-long", s -> s.setTtl("30d"));
        assertThat(ready(h.awaitPat("too-long", PolicyEnforcementContract::violates)).getMessage())
                .isEqualTo("TokenPolicy " + h.ns + "/team: maxLifetime: lifetime 30d exceeds 14d");
    }

    @Test
    void maxTokensPerOwner() {
        tokenPolicy(h.ns, "two-each", p -> p.setMaxTokensPerOwner(2));
        h.create("one", s -> { });
        h.awaitPat("one", p -> phaseIs(p, "Active"));
        h.create("two", s -> { });
        h.awaitPat("two", p -> phaseIs(p, "Active"));
        h.create("three", s -> { });
        PersonalAccessToken third = h.awaitPat("three", PolicyEnforcementContract::violates);
        assertThat(ready(third).getMessage()).isEqualTo("TokenPolicy " + h.ns + "/two-each: maxTokensPerOwner: owner"
                + " 'user-a' already has 2 live tokens; at most 2 are allowed");
        h.create("other", s -> s.setOwner("user-b"));
        h.awaitPat("other", p -> phaseIs(p, "Active"));
        // revoking one frees a place
        h.editSpec("one", s -> s.setRevoked(true));
        h.awaitPat("one", p -> phaseIs(p, "Revoked"));
        h.poke("three");
        h.awaitPat("three", p -> phaseIs(p, "Active"));
    }
}
