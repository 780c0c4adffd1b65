package dev.kpat.demo;

import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The Kubernetes API the demo runs on: the embedded mock server (instant, the default) or a real control plane. */
public interface DemoCluster extends AutoCloseable {
    /** A cluster administrator's client. */
    KubernetesClient client();

    /** One line saying what serves the API and where. */
    String description();

    /** A kubeconfig for kubectl while the demo stays up. */
    Path kubeconfig() throws IOException;

    /** The real control plane, for steps only a real API server can show (authentication, RBAC, admission). */
    Optional<LocalControlPlane> realServer();

    @Override
    void close();
}
