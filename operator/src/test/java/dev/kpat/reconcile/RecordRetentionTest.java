package dev.kpat.reconcile;

import dev.kpat.testing.OperatorHarness;

/** Tombstone retention on the embedded mock API. */
class RecordRetentionTest extends RecordRetentionContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
