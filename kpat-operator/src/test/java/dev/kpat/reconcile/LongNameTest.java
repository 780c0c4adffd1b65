package dev.kpat.reconcile;

import org.junit.jupiter.api.extension.ExtendWith;

/** Long names on the embedded mock API, which checks no label: the test checks them itself. */
@ExtendWith(MockHarnesses.class)
class LongNameTest extends LongNameContract {
}
