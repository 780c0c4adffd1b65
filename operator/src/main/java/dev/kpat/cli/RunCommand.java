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

    @Mixin
    LeaderElectionOptions leaderElection;

    @Override
    public Integer call() throws InterruptedException {
        var settings = options.settings();
        leaderElection.validate();
        KubernetesClient client = new KubernetesClientBuilder().build();
        LostLease lostLease = new LostLease();
        LeaderElectionConfiguration election = leaderElection.configuration(client, lostLease);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer metrics;
        try {
            metrics = MetricsServer.start(registry, metricsPort);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve metrics on port " + metricsPort + ": " + e.getMessage(), e);
        }
        Operator operator = KpatOperator.create(client, settings, Clock.systemUTC(), new TokenMetrics(registry),
                election);
        operator.start();
        return UntilShutdown.await(() -> {
            lostLease.shutdownStarted();
            operator.stop();
            if (election != null) {
                LeaseRelease.release(client, election);
            }
        }, metrics, client);
    }
}
