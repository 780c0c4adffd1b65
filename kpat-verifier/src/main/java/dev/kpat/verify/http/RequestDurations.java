package dev.kpat.verify.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code kpat_verifier_request_duration_seconds{endpoint}}: how long each request took from routing to the end of its
 * response, as a Prometheus histogram with fixed buckets (sub-millisecond to a second) for latency panels and SLOs.
 */
final class RequestDurations {
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final MeterRegistry registry;

    RequestDurations(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The first handler of an endpoint's route (before the body is read): times the request to its response's end. */
    PlatformHandler of(String endpoint) {
        return new Timing(timer(endpoint));
    }

    /**
     * Like {@link #of}, for an endpoint that always answers before its handler returns (no body, no remote call): the
     * time is recorded when the route returns, without an end handler per request.
     */
    PlatformHandler ofSynchronous(String endpoint) {
        Timer timer = timer(endpoint);
        return ctx -> {
            long start = System.nanoTime();
            ctx.next();
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        };
    }

    private Timer timer(String endpoint) {
        return Timer.builder("kpat_verifier_request_duration")
                .description("Verifier request duration, by endpoint").tag("endpoint", endpoint)
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** A platform handler, which Vert.x lets run before the body handler. */
    private record Timing(Timer timer) implements PlatformHandler {
        @Override
        public void handle(RoutingContext ctx) {
            long start = System.nanoTime();
            ctx.addEndHandler(done -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
            ctx.next();
        }
    }
}
