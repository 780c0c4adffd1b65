package dev.kpat.reconcile;

import org.junit.jupiter.api.extension.ExtendWith;

/** Tombstone retention on the embedded mock API. */
@ExtendWith(MockHarnesses.class)
class RecordRetentionTest extends RecordRetentionContract {
}
