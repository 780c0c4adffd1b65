package dev.kpat.reconcile;

/**
 * Where a contract's harnesses come from, given to its {@code @BeforeEach} as a parameter: {@link MockHarnesses}
 * for the embedded mock API, {@link ChartOperator} for the real control plane (the chart's identity).
 */
@FunctionalInterface
public interface Harnesses {
    OperatorHarness create();
}
