package dev.kpat.reconcile;


/** Policies at issue and use time, on the embedded mock API. */
class PolicyEnforcementTest extends PolicyEnforcementContract {
    @Override
    protected OperatorHarness newHarness() {
        return new OperatorHarness();
    }
}
