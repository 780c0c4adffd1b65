package dev.kpat.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up {@code /version} probe against an HTTP server that answers as an overloaded API server would. */
class StartupProbeTest {
    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.4\"}";
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anApiServerThatSaysLaterIsAskedAgain() throws Exception {
        try (KubernetesClient client = clientOf(answering(503, 429, 200))) {
            Startup.awaitVersion(client, "the server", 5, 1);
        }
        assertThat(requests).hasValue(3);
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        try (KubernetesClient client = clientOf(answering(401, 200))) {
            assertThatThrownBy(() -> Startup.awaitVersion(client, "the server", 5, 1))
                    .isInstanceOf(Startup.Failure.class).hasMessageContaining("HTTP 401");
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void anApiServerThatNeverRecoversFailsAfterTheAttemptsInOneLine() throws Exception {
        try (KubernetesClient client = clientOf(answering(500, 500, 500, 500, 200))) {
            assertThatThrownBy(() -> Startup.awaitVersion(client, "the server", 3, 1))
                    .isInstanceOf(Startup.Failure.class).hasMessageContaining("HTTP 500")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(requests).hasValue(3);
    }

    /** A server answering {@code /version} with these statuses in turn (the last one from then on). */
    private int answering(Integer... statuses) throws Exception {
        Deque<Integer> left = new ArrayDeque<>(List.of(statuses));
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            requests.incrementAndGet();
            int status = left.size() > 1 ? left.poll() : left.peek();
            req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(status == 200 ? VERSION : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"message\":\"try later\",\"code\":" + status + "}");
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private static KubernetesClient clientOf(int port) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                .withRequestTimeout(5_000).withRequestRetryBackoffLimit(0).build()).build();
    }
}
