package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.verify.usage.UsageFlusher;
import dev.kpat.verify.usage.UsageTracker;
import dev.kpat.testing.WatchCount;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifiers write usage to TokenRecord status all the time. The token's status mirrors it, but a usage write is not
 * a lifecycle event: it refreshes the usage fields only, at most once per flush interval, instead of a full
 * reconcile and a status write per flush.
 */
class UsageRefreshTest {
    private OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness().start(OperatorSettings.defaults().withUsageRefreshInterval(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void usageFlushesRefreshTheTokenAtMostOncePerInterval() throws Exception {
        h.create("used", s -> s.setTtl("30d"));
        String id = h.awaitPat("used", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        // past the operator's second look after its status write
        Thread.sleep(StatusWrites.RECHECK.toMillis() + 500);

        UsageTracker tracker = new UsageTracker();
        try (WatchCount writes = WatchCount.of(h.client.resources(PersonalAccessToken.class).inNamespace(h.ns)
                .withName("used"), Watcher.Action.MODIFIED); UsageFlusher flusher = new UsageFlusher(h.client, tracker)) {
            for (int flush = 0; flush < 8; flush++) {
                tracker.record(id, "198.51.100.7", h.clock.millis());
                assertThat(flusher.flush()).isEqualTo(1);
                Thread.sleep(150);
            }
            // at once, then once a second: not once a flush
            assertThat(writes.count()).as("writes of the token during eight usage flushes in 1.2 s")
                    .isBetween(1, 3);
            PersonalAccessToken pat = h.awaitPat("used", p -> p.getStatus().getUsageCount() != null
                    && p.getStatus().getUsageCount() == 8L);
            assertThat(pat.getStatus().getLastUsedAt()).isEqualTo(h.clock.instant().toString());
        }
    }
}
