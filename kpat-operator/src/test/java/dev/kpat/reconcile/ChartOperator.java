package dev.kpat.reconcile;

import dev.kpat.testing.RealCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for real-server test classes: a {@link RealServerOperator} per class (the chart's ServiceAccount
 * on the JVM's control plane, see {@link RealCluster}), given as a parameter, and after each test (after its
 * {@code @AfterEach} methods, so cleanup counts too) a failure if the API server refused the operator anything. It
 * also gives contracts their {@link Harnesses}: in a namespace named after the test class.
 */
public final class ChartOperator implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ChartOperator.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RealServerOperator.class || type == Harnesses.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RealServerOperator operator = operator(context);
        if (parameter.getParameter().getType() == RealServerOperator.class) {
            return operator;
        }
        String prefix = "kpat-" + context.getRequiredTestClass().getSimpleName()
                .replace("OnRealServerTest", "").toLowerCase(java.util.Locale.ROOT);
        return (Harnesses) () -> operator.harness(prefix);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        operator(context).assertNothingRefused();
    }

    /** One per test class, closed when the class is done. */
    private static RealServerOperator operator(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow() : context;
        return classContext.getStore(NS).getOrComputeIfAbsent("operator",
                k -> RealServerOperator.on(RealCluster.plane(context)), RealServerOperator.class);
    }
}
