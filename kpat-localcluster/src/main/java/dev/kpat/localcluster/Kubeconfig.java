package dev.kpat.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig for the embedded cluster, so kubectl can look at the demo while it runs. */
public final class Kubeconfig {
    private Kubeconfig() {
    }

    public static Path write(EmbeddedCluster cluster) throws IOException {
        cluster.serveDiscovery();
        Path file = Files.createTempFile("kpat-demo-", ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kpat-demo
                  cluster:
                    server: %s
                contexts:
                - name: kpat-demo
                  context:
                    cluster: kpat-demo
                    user: demo
                    namespace: default
                current-context: kpat-demo
                users:
                - name: demo
                  user:
                    token: demo
                """.formatted(cluster.url()));
        return file;
    }
}
