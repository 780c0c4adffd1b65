package dev.kpat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.reconcile.KpatOperator;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} and {@code /readyz} of the operator follow the operator runtime's health of its informers: alive
 * and not ready while starting, both once every informer has synced, and not alive once the API server is gone and
 * the watches have failed; so a liveness probe restarts an operator that no longer sees its resources.
 */
class OperatorHealthTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesFollowTheInformersHealth() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EmbeddedCluster cluster = new EmbeddedCluster().start();
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            assertThat(status(server, "/healthz")).as("alive while starting").isEqualTo(200);
            assertThat(status(server, "/readyz")).as("not ready before the operator exists").isEqualTo(503);

            Operator operator = KpatOperator.create(cluster.client(), OperatorSettings.defaults(), Clock.systemUTC(),
                    new TokenMetrics(registry));
            OperatorHealth health = new OperatorHealth(operator);
            server.health(health::live, health::ready);
            assertThat(status(server, "/readyz")).as("not started").isEqualTo(503);
            operator.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(server, "/readyz") == 200);
            assertThat(status(server, "/healthz")).isEqualTo(200);
            assertThat(registry.scrape()).contains("reconciliations_queue{controller_name=\"personalaccesstoken\"}");

            // the API server goes away: the informers' watches fail and the runtime reports them unhealthy
            cluster.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> status(server, "/healthz") == 503);
            assertThat(status(server, "/readyz")).isEqualTo(503);
            operator.stop();
        } finally {
            cluster.close();
        }
    }

    private int status(MetricsServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
