package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OncePerIntervalTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final OncePerInterval limiter = new OncePerInterval(Duration.ofSeconds(10), now::get);

    @Test
    void theFirstReconcileGoesAtOnceAndTheNextWaitsForWhatIsLeftOfTheInterval() {
        var state = limiter.initState();
        assertThat(limiter.isLimited(state)).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(limiter.isLimited(state)).contains(Duration.ofSeconds(9));
        advance(Duration.ofSeconds(2));
        // the time left, not the time elapsed: a re-check then lands at the end of the interval, not beyond it
        assertThat(limiter.isLimited(state)).contains(Duration.ofSeconds(7));
        advance(Duration.ofSeconds(7));
        assertThat(limiter.isLimited(state)).isEmpty();
        assertThat(limiter.isLimited(state)).contains(Duration.ofSeconds(10));
    }

    @Test
    void eachResourceHasItsOwnInterval() {
        var a = limiter.initState();
        var b = limiter.initState();
        assertThat(limiter.isLimited(a)).isEmpty();
        assertThat(limiter.isLimited(b)).isEmpty();
        assertThat(limiter.isLimited(a)).isPresent();
    }

    @Test
    void aQuietResourceReconcilesAtOnce() {
        var state = limiter.initState();
        assertThat(limiter.isLimited(state)).isEmpty();
        advance(Duration.ofMinutes(5));
        assertThat(limiter.isLimited(state)).isEqualTo(Optional.empty());
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> new OncePerInterval(Duration.ZERO))
                .hasMessage("the interval must be positive, not PT0S");
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
