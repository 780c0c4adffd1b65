package dev.kpat.cli;

import dev.kpat.reconcile.KpatOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
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
        Operator operator = KpatOperator.create(client, settings, Clock.systemUTC(), new TokenMetrics(registry));
        operator.start();
        return UntilShutdown.await(operator::stop, metrics, client);
    }
}
