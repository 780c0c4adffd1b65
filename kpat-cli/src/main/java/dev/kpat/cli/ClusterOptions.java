package dev.kpat.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which cluster and namespace a {@code kubectl pat} command talks to, as kubectl itself resolves them. */
public class ClusterOptions {
    /** A command-line tool fails fast: no retry loop against a server that is down. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int REQUEST_TIMEOUT_MILLIS = 30_000;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Path to the kubeconfig (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            description = "Namespace (default: the context's namespace, else default).")
    String namespace;

    private Config config;

    KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** The API server's address, for error messages. */
    String server() {
        return config == null ? null : config.getMasterUrl();
    }

    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String ns = client.getNamespace();
        return ns == null ? "default" : ns;
    }

    private Config config() {
        Config base = kubeconfig == null ? fromEnvironment() : fromFile(kubeconfig);
        if (context != null && (base.getCurrentContext() == null
                || !context.equals(base.getCurrentContext().getName()))) {
            throw new PatFailure(PatExit.ERROR, "context \"" + context + "\" does not exist in the kubeconfig");
        }
        config = new ConfigBuilder(base).withConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
                .withRequestTimeout(REQUEST_TIMEOUT_MILLIS).withRequestRetryBackoffLimit(0).build();
        return config;
    }

    private Config fromFile(Path file) {
        try {
            return Config.fromKubeconfig(context, Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new PatFailure(PatExit.ERROR, "cannot read kubeconfig " + file + ": " + e.getMessage());
        }
    }

    private Config fromEnvironment() {
        Config base = Config.autoConfigure(context);
        if (base.getFile() == null && System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) == null
                && System.getenv("KUBERNETES_MASTER") == null) {
            throw new PatFailure(PatExit.UNREACHABLE, "no Kubernetes configuration: no kubeconfig at "
                    + String.join(", ", Config.getKubeconfigFilenames())
                    + " and not running in a cluster (set KUBECONFIG or pass --kubeconfig)");
        }
        return base;
    }
}
