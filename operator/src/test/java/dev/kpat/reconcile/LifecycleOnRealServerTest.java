package dev.kpat.reconcile;

import static dev.kpat.testing.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.OperatorHarness;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.RealServerOperator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lifecycle contract on a real control plane, the operator acting as the Helm chart's ServiceAccount with
 * exactly the chart's RBAC; no request of it may be refused. Plus what only a real cluster has: the namespace
 * controller and garbage collection.
 */
@ExtendWith(RealCluster.class)
class LifecycleOnRealServerTest extends LifecycleContract {
    private static RealServerOperator operator;

    @BeforeAll
    static void chartRbac(LocalControlPlane plane) {
        operator = RealServerOperator.on(plane);
    }

    @AfterAll
    static void release() {
        operator.close();
    }

    @Override
    protected OperatorHarness newHarness() {
        return operator.harness("kpat-lifecycle");
    }

    @Override
    protected void afterClose() {
        operator.assertNothingRefused();
    }

    @Test
    void deletingTheNamespaceRevokesItsTokens() {
        String doomed = h.namespace("doomed", Map.of());
        PersonalAccessToken pat = h.create(doomed, "ci", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(15)).until(() -> phaseIs(h.get(doomed, "ci"), "Active"));
        String id = h.get(doomed, "ci").getStatus().getTokenId();

        // the namespace controller deletes the Secret and the token in some order; the finalizer revokes
        h.client.namespaces().withName(doomed).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> h.client.namespaces().withName(doomed).get() == null);
        TokenRecord tombstone = h.record(id);
        assertThat(tombstone.getSpec().getRevokedAt()).isNotNull();
        assertThat(h.recordsOf(pat)).allSatisfy(r -> assertThat(r.getSpec().getRevokedAt()).isNotNull());
    }
}
