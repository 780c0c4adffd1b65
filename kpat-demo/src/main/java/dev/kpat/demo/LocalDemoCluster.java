package dev.kpat.demo;

import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.localcluster.ControlPlaneOptions;
import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The demo on a real local control plane (etcd, kube-apiserver, kube-controller-manager) with kpat installed. */
final class LocalDemoCluster implements DemoCluster {
    private final LocalControlPlane plane;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread stopOnExit = new Thread(this::close, "kpat-demo-stop-control-plane");

    LocalDemoCluster(ControlPlaneBinaries binaries) {
        this.plane = LocalControlPlane.start(binaries, ControlPlaneOptions.defaults());
        // Ctrl-C in the middle of the demo must not leave etcd and kube-apiserver running
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    @Override
    public KubernetesClient client() {
        return plane.admin();
    }

    @Override
    public String description() {
        return "Local control plane (etcd, kube-apiserver, kube-controller-manager) at " + plane.url()
                + " with the kpat CRDs and admission policy installed";
    }

    @Override
    public Path kubeconfig() {
        return plane.adminKubeconfig();
    }

    @Override
    public Optional<LocalControlPlane> realServer() {
        return Optional.of(plane);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            plane.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // closed by the hook itself, or while the JVM exits: nothing left to unregister
            }
        }
    }
}
