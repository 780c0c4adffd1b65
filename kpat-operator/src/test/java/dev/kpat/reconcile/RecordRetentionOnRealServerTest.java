package dev.kpat.reconcile;

import dev.kpat.testing.RealCluster;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tombstone retention on a real control plane, the operator acting as the Helm chart's ServiceAccount with exactly
 * the chart's RBAC; no request of it may be refused (checked after each test).
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class RecordRetentionOnRealServerTest extends RecordRetentionContract {
}
