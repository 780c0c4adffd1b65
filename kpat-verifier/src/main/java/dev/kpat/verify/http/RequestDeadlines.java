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
 * headers, and as long again for that request's body; once the request is in, the connection has {@code keepAlive}
 * for the answer and the next request's headers (then it is closed as idle: the API server's and ingress
 * controllers' clients keep idle connections longer, 90 s in Go, and reconnect). Two volatile writes a request.
 */
final class RequestDeadlines {
    /** When a connection is due to have made progress, in {@link System#nanoTime()}. */
    private static final class Due {
        volatile long at;

        Due(long at) {
            this.at = at;
        }
    }

    private final long deadlineNanos;
    private final long keepAliveNanos;
    private final Map<HttpConnection, Due> connections = new ConcurrentHashMap<>();
    private final Counter closed;

    RequestDeadlines(Duration deadline, Duration keepAlive, MeterRegistry registry) {
        this.deadlineNanos = deadline.toNanos();
        this.keepAliveNanos = keepAlive.toNanos();
        this.closed = Counter.builder("kpat_verifier_slow_connections_closed")
                .description("Connections closed because no complete request arrived in time (slow or idle clients)")
                .register(registry);
    }

    /** A new connection (after its TLS handshake): its first request's headers are due within the deadline. */
    void opened(HttpConnection connection) {
        connections.put(connection, new Due(System.nanoTime() + deadlineNanos));
        connection.closeHandler(v -> connections.remove(connection));
    }

    /** A request's headers are in (the first route of every request): its body is due within the deadline. */
    void headersIn(RoutingContext ctx) {
        due(ctx, deadlineNanos);
        ctx.next();
    }

    /** The whole request is in (after a body handler, or at once where no body is read): the keep-alive bound. */
    void requestIn(RoutingContext ctx) {
        due(ctx, keepAliveNanos);
        ctx.next();
    }

    private void due(RoutingContext ctx, long inNanos) {
        Due due = connections.get(ctx.request().connection());
        if (due != null) {
            due.at = System.nanoTime() + inNanos;
        }
    }

    /** Closes every connection past its deadline; run once a second. */
    void closeOverdue() {
        long now = System.nanoTime();
        connections.forEach((connection, due) -> {
            if (now - due.at > 0 && connections.remove(connection, due)) {
                closed.increment();
                connection.close();
            }
        });
    }
}
