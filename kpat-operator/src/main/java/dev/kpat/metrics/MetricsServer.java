package dev.kpat.metrics;

import dev.kpat.vertx.VertxFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;

/** Serves {@code /metrics} (Prometheus text format) and {@code /healthz} for the operator. */
public final class MetricsServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private MetricsServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, int port) throws Exception {
        Vertx vertx = VertxFactory.create();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape());
                case "/healthz" -> req.response().end("ok");
                default -> req.response().setStatusCode(404).end("not found");
            }
        }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new MetricsServer(vertx, server);
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
