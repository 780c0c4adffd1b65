package dev.kpat.testing;

import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.localcluster.ControlPlaneOptions;
import dev.kpat.localcluster.LocalControlPlane;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a real control plane (etcd, kube-apiserver, kube-controller-manager), started once per test JVM
 * by the same launcher as {@code local-cluster}, with kpat's CRDs and admission policy installed, and stopped when
 * the JVM's tests are done. Test classes take it as a {@link LocalControlPlane} parameter.
 */
public final class RealCluster implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return plane(context);
    }

    /** The JVM's control plane, started on first use; for other extensions that build on it. */
    public static LocalControlPlane plane(ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent("plane", k -> new Started(start()), Started.class).plane;
    }

    private static LocalControlPlane start() {
        String dir = System.getProperty("kpat.k8s.bin");
        ControlPlaneBinaries binaries = ControlPlaneBinaries.locate(dir == null || dir.isBlank() ? null : Path.of(dir));
        return LocalControlPlane.start(binaries, ControlPlaneOptions.defaults());
    }

    /** Stops the control plane when the root context closes, after the last test class. */
    private record Started(LocalControlPlane plane) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            plane.close();
        }
    }
}
