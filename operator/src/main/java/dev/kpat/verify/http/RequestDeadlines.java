package dev.kpat.verify.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the connections of clients too slow to send a request. Vert.x's idle timeout restarts with every byte, so a
 * client sending a header or body byte a second (slowloris), or one that connects and sends nothing, would hold a
 * connection and its buffers for ever. Here a new connection has {@code deadline} to deliver its first request's
 * headers, and as long again for that request's body; while the request is handled no deadline runs; after the
 * response, the connection may wait {@code keepAlive} for its next request's headers (then closed as idle: the API
 * server's and ingress controllers' clients keep idle connections longer, 90 s in Go, and reconnect).
 */
final class RequestDeadlines {
    /** A request being handled: no deadline. */
    private static final long HANDLING = Long.MAX_VALUE;

    private final long deadlineNanos;
    private final long keepAliveNanos;
    private final Map<HttpConnection, Long> connections = new ConcurrentHashMap<>();
    private final Counter closed;

    RequestDeadlines(Duration deadline, Duration keepAlive, MeterRegistry registry) {
        this.deadlineNanos = deadline.toNanos();
        this.keepAliveNanos = keepAlive.toNanos();
        this.closed = Counter.builder("kpat_verifier_slow_connections_closed")
                .description("Connections closed because no complete request arrived in time (slow or idle clients)")
                .register(registry);
    }

    /** A new connection (after its TLS handshake): its first request is due within the deadline. */
    void opened(HttpConnection connection) {
        connections.put(connection, System.nanoTime() + deadlineNanos);
        connection.closeHandler(v -> connections.remove(connection));
    }

    /** A request's headers are in: its body is due within the deadline; once answered, the next request waits. */
    void headersIn(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        due(connection, System.nanoTime() + deadlineNanos);
        ctx.addEndHandler(v -> due(connection, System.nanoTime() + keepAliveNanos));
        ctx.next();
    }

    /** The body is in: the request is being handled (possibly waiting on a remote check), no deadline. */
    void bodyIn(RoutingContext ctx) {
        due(ctx.request().connection(), HANDLING);
        ctx.next();
    }

    private void due(HttpConnection connection, long at) {
        connections.computeIfPresent(connection, (c, old) -> at);
    }

    /** Closes every connection past its deadline; run once a second. */
    void closeOverdue() {
        long now = System.nanoTime();
        connections.forEach((connection, due) -> {
            if (due != HANDLING && now - due > 0 && connections.remove(connection, due)) {
                closed.increment();
                connection.close();
            }
        });
    }

    /** Connections open now (for tests and figures). */
    int open() {
        return connections.size();
    }
}
