package dev.kpat.reconcile;

import static dev.kpat.testing.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.testing.ChartOperator;
import dev.kpat.testing.OperatorHarness;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.RealServerOperator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lifecycle contract on a real control plane, the operator acting as the Helm chart's ServiceAccount with
 * exactly the chart's RBAC; no request of it may be refused (checked after each test). Plus what only a real
 * cluster has: the namespace controller and garbage collection.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class LifecycleOnRealServerTest extends LifecycleContract {
    private static RealServerOperator operator;

    @BeforeAll
    static void operator(RealServerOperator chartOperator) {
        operator = chartOperator;
    }

    @Override
    protected OperatorHarness newHarness() {
        return operator.harness("kpat-lifecycle");
    }

    @Test
    void deletingTheNamespaceRevokesItsTokens() {
        String doomed = h.namespace("doomed", Map.of());
        PersonalAccessToken pat = h.create(doomed, "ci", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(15)).until(() -> phaseIs(h.get(doomed, "ci"), "Active"));
        String id = h.get(doomed, "ci").getStatus().getTokenId();

        // the namespace controller deletes the Secret and the token in some order; the finalizer revokes
        h.client.namespaces().withName(doomed).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> h.get(doomed, "ci") == null);
        TokenRecord tombstone = h.record(id);
        assertThat(tombstone.getSpec().getRevokedAt()).isNotNull();
        assertThat(h.recordsOf(pat)).allSatisfy(r -> assertThat(r.getSpec().getRevokedAt()).isNotNull());
    }

    @Test
    void theSecretIsOwnedByItsTokenForGarbageCollection() {
        h.create("owned", s -> s.setTtl("30d"));
        h.awaitPat("owned", p -> phaseIs(p, "Active"));
        // with no operator to revoke and delete, an administrator removes the token, finalizer and all: the
        // garbage collector deletes the Secret, which it does only for an owner reference that names the token
        h.stopOperator();
        h.deleteTokens();
        await().atMost(Duration.ofSeconds(20)).until(() -> h.secret("owned") == null);
    }
}
