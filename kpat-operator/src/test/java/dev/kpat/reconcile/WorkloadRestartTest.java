package dev.kpat.reconcile;


/** Workload restarts on a new value, on the embedded mock API. */
class WorkloadRestartTest extends WorkloadRestartContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
