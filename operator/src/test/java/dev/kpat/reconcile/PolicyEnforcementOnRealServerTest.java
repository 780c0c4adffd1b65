package dev.kpat.reconcile;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.OperatorHarness;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.RealServerOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policies at issue and use time on a real control plane, the operator acting as the Helm chart's ServiceAccount with
 * exactly the chart's RBAC; no request of it may be refused.
 */
@ExtendWith(RealCluster.class)
class PolicyEnforcementOnRealServerTest extends PolicyEnforcementContract {
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
        return operator.harness("kpat-policy");
    }

    @Override
    protected void afterClose() {
        operator.assertNothingRefused();
    }
}
