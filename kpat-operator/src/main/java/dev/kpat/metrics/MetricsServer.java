package dev.kpat.metrics;

import dev.kpat.vertx.VertxFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /healthz} (liveness) and {@code /readyz} (readiness) for
 * the operator. It starts before the operator exists, so health is set later ({@link #health}): until then it is
 * alive (starting) and not ready.
 */
public final class MetricsServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private volatile BooleanSupplier live = () -> true;
    private volatile BooleanSupplier ready = () -> false;

    private MetricsServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, int port) throws Exception {
        Vertx vertx = VertxFactory.create();
        MetricsServer[] self = new MetricsServer[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape());
                case "/healthz" -> probe(req.response(), self[0] == null || self[0].live.getAsBoolean(),
                        "event sources unhealthy");
                case "/readyz" -> probe(req.response(), self[0] != null && self[0].ready.getAsBoolean(),
                        "not ready");
                default -> req.response().setStatusCode(404).end("not found");
            }
        }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        self[0] = new MetricsServer(vertx, server);
        return self[0];
    }

    private static void probe(io.vertx.core.http.HttpServerResponse response, boolean ok, String failure) {
        response.setStatusCode(ok ? 200 : 503).end(ok ? "ok" : failure);
    }

    /** What {@code /healthz} and {@code /readyz} answer from now on. */
    public MetricsServer health(BooleanSupplier live, BooleanSupplier ready) {
        this.live = live;
        this.ready = ready;
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
