package dev.kpat.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.RealCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator process, as the chart's ServiceAccount, behind a {@link FaultProxy} in front of the real API server:
 * PATs created, all rotated after a leak, a quarter revoked and a quarter deleted ({@link FaultScenario}) with a share
 * of the operator's requests failing (500, 503, 429 with Retry-After, 409 on writes, held past the client's 10 s
 * request timeout, watches refused or cut). The run must end with each PAT in its expected phase, one live record per
 * live token matching its Secret, no value issued twice, nothing pending, nothing orphaned; and the faults may not
 * turn into a retry storm. With {@code -Dkpat.faults.baseline=true} the same run at 0 % faults comes first and the
 * slowdown is reported (the default build skips it to stay within its time). {@code -Dkpat.faults.tokens} (default
 * 20), {@code -Dkpat.faults.rate} (0.10), {@code -Dkpat.faults.seed} (printed). Figures: RELIABILITY.md.
 */
@ExtendWith(RealCluster.class)
class FaultInjectionTest {
    private static final int TOKENS = Integer.getInteger("kpat.faults.tokens", 20);
    private static final double RATE = Double.parseDouble(System.getProperty("kpat.faults.rate", "0.10"));
    private static final boolean BASELINE = Boolean.getBoolean("kpat.faults.baseline");
    /** Past the Fabric8 client's default request timeout (10 s), which the operator runs with. */
    private static final Duration DELAY = Duration.ofSeconds(11);
    /**
     * A ceiling on the operator's requests per PAT of the scenario, faults and retries included: without faults it
     * made 33 to 36 (1,339 for 40 PATs, 718 for 20), so a ceiling three times that still catches a retry storm.
     */
    private static final int MAX_REQUESTS_PER_TOKEN = 100;

    @Test
    void underFaultsEveryTokenConverges(LocalControlPlane plane) throws Exception {
        long seed = Long.getLong("kpat.faults.seed", System.nanoTime());
        System.out.printf("fault injection: %d tokens, %.0f %% faults, seed %d (replay: -Dkpat.faults.seed=%d)%n",
                TOKENS, RATE * 100, seed, seed);
        FaultRun baseline = null;
        if (BASELINE) {
            baseline = new FaultScenario(plane, "faults-baseline", new FaultPlan(seed, 0, DELAY), TOKENS).run();
            System.out.println("baseline: " + baseline.describe());
        }
        FaultRun faulty = new FaultScenario(plane, "faults-injected", new FaultPlan(seed, RATE, DELAY), TOKENS).run();
        System.out.println("faults:   " + faulty.describe());

        if (RATE > 0) {
            assertThat(faulty.faults()).as("faults injected (seed %d)", seed).isPositive();
        }
        // no retry storm: a failed request costs a retry or a requeue, not a flood
        assertThat(faulty.requests()).as("requests under faults (seed %d)", seed)
                .isLessThanOrEqualTo((long) MAX_REQUESTS_PER_TOKEN * TOKENS);
        if (baseline != null) {
            System.out.printf("slowdown %.2fx (%.1f s against %.1f s), requests %.2fx, peak requests per second %d"
                            + " against %d%n", (double) faulty.settled().toMillis() / baseline.settled().toMillis(),
                    faulty.settled().toMillis() / 1000.0, baseline.settled().toMillis() / 1000.0,
                    (double) faulty.requests() / baseline.requests(), faulty.requestRate().peak(),
                    baseline.requestRate().peak());
            assertThat(baseline.faults()).isZero();
            assertThat(faulty.requests()).as("requests under faults against the baseline's (seed %d)", seed)
                    .isLessThanOrEqualTo(2 * baseline.requests() + 100);
            assertThat(faulty.requestRate().peak()).as("the busiest second under faults (seed %d)", seed)
                    .isLessThanOrEqualTo(2 * baseline.requestRate().peak() + 20);
        }
    }
}
