package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which cluster and namespace a {@code kubectl pat} command talks to, as kubectl itself resolves them. */
public class ClusterOptions {
    @Option(names = "--kubeconfig", description = "Path to the kubeconfig (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the context's namespace).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
    boolean allNamespaces;

    KubernetesClient client() throws IOException {
        Config config = kubeconfig == null ? Config.autoConfigure(null)
                : Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String ns = client.getNamespace();
        return ns == null ? "default" : ns;
    }

    List<PersonalAccessToken> list(KubernetesClient client) {
        var pats = client.resources(PersonalAccessToken.class);
        return allNamespaces ? pats.inAnyNamespace().list().getItems()
                : pats.inNamespace(namespace(client)).list().getItems();
    }
}
