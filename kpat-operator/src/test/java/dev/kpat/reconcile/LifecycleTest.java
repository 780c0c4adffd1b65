package dev.kpat.reconcile;

import org.junit.jupiter.api.extension.ExtendWith;

/** The lifecycle contract on the embedded mock API: fast, and the operator's own checks stand alone. */
@ExtendWith(MockHarnesses.class)
class LifecycleTest extends LifecycleContract {
}
