package dev.kpat.reconcile;


/** Tombstone retention on the embedded mock API. */
class RecordRetentionTest extends RecordRetentionContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
