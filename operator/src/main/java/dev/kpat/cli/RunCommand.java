package dev.kpat.cli;

import dev.kpat.reconcile.KpatOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.kpat.metrics.MetricsServer;
import dev.kpat.metrics.TokenMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the operator against the current kubeconfig or in-cluster configuration.")
public class RunCommand implements Callable<Integer> {
    @Mixin
    OperatorOptions options;

    @Option(names = "--metrics-port", defaultValue = "8080",
            description = "Port of /metrics (Prometheus) and /healthz (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Only the replica holding the Lease reconciles, so several may run (default: ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--leader-election-namespace",
            description = "Namespace of the Lease (default: $POD_NAMESPACE, else the client's namespace).")
    String leaseNamespace;

    private LeaderElectionConfiguration leaderElection(KubernetesClient client) {
        String ns = leaseNamespace != null ? leaseNamespace
                : System.getenv("POD_NAMESPACE") != null ? System.getenv("POD_NAMESPACE")
                : client.getNamespace() != null ? client.getNamespace() : "default";
        String identity = System.getenv().getOrDefault("HOSTNAME", "kpat-" + java.util.UUID.randomUUID());
        // a replica that loses the Lease exits, and Kubernetes restarts it as a follower
        return new LeaderElectionConfiguration("kpat-operator", ns, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity, null, true);
    }

    @Override
    public Integer call() throws InterruptedException {
        var settings = options.settings();
        KubernetesClient client = new KubernetesClientBuilder().build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer metrics;
        try {
            metrics = MetricsServer.start(registry, metricsPort);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve metrics on port " + metricsPort + ": " + e.getMessage(), e);
        }
        Operator operator = KpatOperator.create(client, settings, Clock.systemUTC(), new TokenMetrics(registry),
                leaderElection ? leaderElection(client) : null);
        operator.start();
        return UntilShutdown.await(operator::stop, metrics, client);
    }
}
