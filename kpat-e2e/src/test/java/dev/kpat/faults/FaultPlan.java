package dev.kpat.faults;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Which requests fail, and how: a share {@code rate} of them, chosen by one {@link Random} from a printed seed. The
 * seed fixes the sequence of choices; which request of the operator's threads meets which choice still depends on
 * their timing. Watches are cut or refused; writes may also conflict; any other request may also be delayed.
 */
final class FaultPlan {
    private static final List<Fault> READ_FAULTS = List.of(Fault.ERROR_500, Fault.UNAVAILABLE_503,
            Fault.THROTTLED_429, Fault.DELAYED);
    private static final List<Fault> WRITE_FAULTS = List.of(Fault.ERROR_500, Fault.UNAVAILABLE_503,
            Fault.THROTTLED_429, Fault.CONFLICT_409, Fault.DELAYED);
    private static final List<Fault> WATCH_FAULTS = List.of(Fault.WATCH_CUT, Fault.WATCH_CUT, Fault.ERROR_500,
            Fault.UNAVAILABLE_503, Fault.THROTTLED_429);

    private final Random random;
    private final double rate;
    private final Duration delay;
    private volatile boolean on = true;

    /**
     * @param delay how long a {@link Fault#DELAYED} request is held: longer than the client's request timeout
     */
    FaultPlan(long seed, double rate, Duration delay) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rate " + rate + " is not between 0 and 1");
        }
        this.random = new Random(seed);
        this.rate = rate;
        this.delay = delay;
    }

    double rate() {
        return rate;
    }

    Duration delay() {
        return delay;
    }

    /** Faults on (at the plan's rate) or off, e.g. off while a test reads the converged state. */
    void enable(boolean enabled) {
        on = enabled;
    }

    synchronized Fault choose(ApiVerb verb) {
        if (!on || rate == 0 || random.nextDouble() >= rate) {
            return Fault.NONE;
        }
        List<Fault> kinds = verb == ApiVerb.WATCH ? WATCH_FAULTS : verb.writes() ? WRITE_FAULTS : READ_FAULTS;
        return kinds.get(random.nextInt(kinds.size()));
    }

    /** How long a cut watch lives: a few events may pass before the cut. */
    synchronized Duration watchLifetime() {
        return Duration.ofMillis(200 + random.nextInt(2800));
    }
}
