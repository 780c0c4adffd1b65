package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.TokenRecordStatus;
import dev.kpat.verify.usage.UsageTracker;
import dev.kpat.verify.usage.UsageTestAccess;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UsageTest {
    @Test
    void countsLastUseAndTheLastFiveDistinctAddresses() {
        UsageTracker tracker = new UsageTracker();
        for (String ip : List.of("a", "b", "c", "a", "d", "e", "f", "b")) {
            tracker.record("tok-1", ip, 1000);
        }
        tracker.record("tok-1", "g", 2000);
        var snapshot = UsageTestAccess.drain(tracker).get("tok-1");
        assertThat(UsageTestAccess.count(snapshot)).isEqualTo(9);
        assertThat(UsageTestAccess.ips(snapshot)).containsExactly("d", "e", "f", "b", "g");
        assertThat(UsageTestAccess.drain(tracker)).isEmpty();
    }

    @Test
    void statusAddsDeltasAndKeepsFiveMostRecentAddresses() {
        TokenRecordStatus old = new TokenRecordStatus();
        old.setUsageCount(40L);
        old.setLastUsedAt("2026-11-24T12:00:00Z");
        old.setRecentClientIPs(List.of("1", "2", "3", "4", "5"));
        TokenRecordStatus next = UsageTestAccess.add(old, 3, Instant.parse("2026-11-24T12:00:05Z").toEpochMilli(),
                List.of("2", "6"));
        assertThat(next.getUsageCount()).isEqualTo(43L);
        assertThat(next.getLastUsedAt()).isEqualTo("2026-11-24T12:00:05Z");
        assertThat(next.getRecentClientIPs()).containsExactly("3", "4", "5", "2", "6");
        // a delta older than what another replica already wrote keeps the later time
        TokenRecordStatus late = UsageTestAccess.add(next, 1, Instant.parse("2026-11-24T11:00:00Z").toEpochMilli(),
                List.of());
        assertThat(late.getLastUsedAt()).isEqualTo("2026-11-24T12:00:05Z");
    }

    @Test
    void noUseIsLostWhileDrainingConcurrently() throws Exception {
        UsageTracker tracker = new UsageTracker();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    tracker.record("tok-" + (i % 3), "ip", i);
                }
                done.countDown();
            });
        }
        AtomicLong seen = new AtomicLong();
        while (done.getCount() > 0) {
            UsageTestAccess.drain(tracker).values().forEach(s -> seen.addAndGet(UsageTestAccess.count(s)));
        }
        UsageTestAccess.drain(tracker).values().forEach(s -> seen.addAndGet(UsageTestAccess.count(s)));
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).isEqualTo(200_000);
    }
}
