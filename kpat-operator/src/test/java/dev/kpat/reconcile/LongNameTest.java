package dev.kpat.reconcile;


/** Long names on the embedded mock API, which checks no label: the test checks them itself. */
class LongNameTest extends LongNameContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
