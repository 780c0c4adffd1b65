package dev.kpat.reconcile;

import dev.kpat.testing.OperatorHarness;

/** Workload restarts on a new value, on the embedded mock API. */
class WorkloadRestartTest extends WorkloadRestartContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
