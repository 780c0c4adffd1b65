package dev.kpat.reconcile;


/** The lifecycle contract on the embedded mock API: fast, and the operator's own checks stand alone. */
class LifecycleTest extends LifecycleContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
