package dev.kpat.reconcile;

import org.junit.jupiter.api.extension.ExtendWith;

/** Policies at issue and use time, on the embedded mock API. */
@ExtendWith(MockHarnesses.class)
class PolicyEnforcementTest extends PolicyEnforcementContract {
}
