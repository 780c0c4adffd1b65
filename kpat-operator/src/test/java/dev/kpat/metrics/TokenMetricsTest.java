package dev.kpat.metrics;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.reconcile.OperatorHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenMetricsTest {
    private final OperatorHarness h = new OperatorHarness();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void expiryReadinessAndCountersAreScrapedOverHttpAndDroppedOnDelete() throws Exception {
        h.start(OperatorSettings.defaults(), new TokenMetrics(registry));
        h.create("metered", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("metered", p -> phaseIs(p, "Active"));
        String value = h.valueIn("metered");
        long expiry = Instant.parse(pat.getStatus().getExpiresAt()).getEpochSecond();

        // the per-token gauges are read from the operator's cache at scrape time: it may be a moment behind the API
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.scrape().contains("name=\"metered\""));
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            String body = scrape.body();
            assertThat(body).contains("kpat_token_expiration_timestamp_seconds{name=\"metered\",namespace=\"default\","
                    + "owner=\"user-a\"} " + (double) expiry)
                    .contains("kpat_token_ready_status{condition=\"True\",name=\"metered\",namespace=\"default\","
                            + "owner=\"user-a\"} 1.0")
                    .contains("kpat_token_values_issued_total{reason=\"Issued\"} 1.0");
            assertThat(body).doesNotContain(value).doesNotContain(value.substring(5, 20));
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        h.client.resources(PersonalAccessToken.class).inNamespace(h.ns).withName("metered").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.get("metered") == null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !registry.scrape().contains("name=\"metered\""));
        assertThat(registry.scrape()).contains("kpat_token_values_revoked_total{reason=\"Deleted\"} 1.0");
    }
}
