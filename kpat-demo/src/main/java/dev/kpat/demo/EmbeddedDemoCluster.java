package dev.kpat.demo;

import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.localcluster.Kubeconfig;
import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The demo on the Fabric8 mock server: starts in a moment, but has no authentication, RBAC or admission. */
final class EmbeddedDemoCluster implements DemoCluster {
    private final EmbeddedCluster cluster = new EmbeddedCluster().start();

    @Override
    public KubernetesClient client() {
        return cluster.client();
    }

    @Override
    public String description() {
        return "Embedded Kubernetes API at " + cluster.url() + " with the kpat CRDs installed";
    }

    @Override
    public Path kubeconfig() throws IOException {
        return Kubeconfig.write(cluster);
    }

    @Override
    public Optional<LocalControlPlane> realServer() {
        return Optional.empty();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
