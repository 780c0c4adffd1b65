package dev.kpat.reconcile;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Lets a resource reconcile at most once per interval: the first event at once, later ones when the interval since
 * that reconcile ends. JOSDK 5.3's {@code LinearRateLimiter} answers a limited event with the time elapsed since the
 * interval began instead of the time left in it, so its re-checks come at 1, 2, 4, 8, 16... times the first delay and
 * the last change of a busy resource waited up to twice the interval (found by OperatorAndVerifierTest).
 */
final class OncePerInterval implements RateLimiter<OncePerInterval.State> {
    private final long intervalNanos;
    private final LongSupplier nanoTime;

    OncePerInterval(Duration interval) {
        this(interval, System::nanoTime);
    }

    OncePerInterval(Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive, not " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Duration> isLimited(RateLimitState rateLimitState) {
        State state = (State) rateLimitState;
        long now = nanoTime.getAsLong();
        if (state.last != null && now - state.last < intervalNanos) {
            return Optional.of(Duration.ofNanos(intervalNanos - (now - state.last)));
        }
        state.last = now;
        return Optional.empty();
    }

    @Override
    public State initState() {
        return new State();
    }

    /** When this resource last reconciled; JOSDK keeps one per resource and calls the limiter under its lock. */
    static final class State implements RateLimitState {
        private Long last;
    }
}
