package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.TokenMetrics;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas: only the Lease holder reconciles; when it stops, the other takes over. */
class LeaderElectionTest {
    private final OperatorHarness h = new OperatorHarness();

    @AfterEach
    void stop() {
        h.close();
    }

    private Operator replica(String identity) {
        // the SDK checks the Lease RBAC with a SelfSubjectRulesReview, which the mock API cannot answer by itself
        h.cluster.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                        + "\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":[{\"verbs\":"
                        + "[\"get\",\"create\",\"update\"],\"apiGroups\":[\"coordination.k8s.io\"],"
                        + "\"resources\":[\"leases\"]}]}}").once();
        var election = new LeaderElectionConfiguration("kpat-operator", "default", Duration.ofSeconds(2),
                Duration.ofMillis(1500), Duration.ofMillis(200), identity, null, false);
        Operator op = KpatOperator.create(h.client, OperatorSettings.defaults(), h.clock,
                new TokenMetrics(new SimpleMeterRegistry()), election);
        op.start();
        return op;
    }

    private String holder() {
        Lease lease = h.client.leases().inNamespace("default").withName("kpat-operator").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void onlyTheLeaderIssuesAndTheOtherTakesOver() {
        Operator first = replica("replica-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "replica-1".equals(holder()));
        Operator second = replica("replica-2");
        try {
            h.create("one", s -> s.setTtl("30d"));
            var pat = h.awaitPat("one", p -> phaseIs(p, "Active"));
            assertThat(pat.getStatus().getRevision()).isEqualTo(1L);
            assertThat(h.recordsOf(pat)).hasSize(1);
            assertThat(holder()).isEqualTo("replica-1");

            first.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> "replica-2".equals(holder()));
            h.create("two", s -> s.setTtl("30d"));
            h.awaitPat("two", p -> phaseIs(p, "Active"));
            assertThat(h.get("one").getStatus().getRevision()).as("the first token was not issued again").isEqualTo(1L);
        } finally {
            second.stop();
        }
    }
}
