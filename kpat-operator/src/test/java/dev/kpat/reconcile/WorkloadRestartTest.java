package dev.kpat.reconcile;

import org.junit.jupiter.api.extension.ExtendWith;

/** Workload restarts on a new value, on the embedded mock API. */
@ExtendWith(MockHarnesses.class)
class WorkloadRestartTest extends WorkloadRestartContract {
}
