package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.WatchCount;
import dev.kpat.verify.usage.UsageFlusher;
import dev.kpat.verify.usage.UsageTracker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What one verifier usage flush costs the operator on a real API server: one mirror of the usage into the token's
 * status (one write of the token) and no reconcile of the token, whose lifecycle does not depend on usage.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class UsageFlushOnRealServerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private OperatorHarness h;
    private final TokenMetrics metrics = new TokenMetrics(new SimpleMeterRegistry());

    @BeforeEach
    void start(Harnesses harnesses) {
        h = harnesses.create().start(OperatorSettings.defaults().withUsageRefreshInterval(INTERVAL), metrics);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aUsageFlushIsMirroredOnceAndReconcilesNoToken() throws Exception {
        h.create("used", s -> s.setTtl("30d"));
        String id = h.awaitPat("used", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        // past the operator's second look after its status write
        Thread.sleep(StatusWrites.RECHECK.toMillis() + 1000);

        UsageTracker tracker = new UsageTracker();
        try (WatchCount writes = WatchCount.of(h.client.resources(PersonalAccessToken.class).inNamespace(h.ns)
                .withName("used"), Watcher.Action.MODIFIED); UsageFlusher flusher = new UsageFlusher(h.client, tracker)) {
            double mirrors = started("tokenrecord-usage");
            double tokenReconciles = started("personalaccesstoken");
            tracker.record(id, "198.51.100.7", h.clock.millis());
            assertThat(flusher.flush()).isEqualTo(1);
            h.awaitPat("used", p -> p.getStatus().getUsageCount() != null && p.getStatus().getUsageCount() == 1L);
            // anything the flush or the mirror's own write sets off has arrived after a few intervals
            Thread.sleep(INTERVAL.toMillis() * 4);

            assertThat(started("tokenrecord-usage") - mirrors).as("usage mirrors for one flush").isEqualTo(1);
            assertThat(started("personalaccesstoken") - tokenReconciles).as("token reconciles for one flush")
                    .isZero();
            assertThat(writes.count()).as("writes of the token for one flush").isEqualTo(1);
        }
    }

    @Test
    void aReplicaThatAloneWritesARecordNeverReadsItAndOneThatDoesNotAddsToTheOther() throws Exception {
        h.create("counted", s -> s.setTtl("30d"));
        String id = h.awaitPat("counted", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        RequestLog first = new RequestLog();
        RequestLog second = new RequestLog();
        UsageTracker firstUses = new UsageTracker();
        UsageTracker secondUses = new UsageTracker();
        try (KubernetesClient a = counted(first); KubernetesClient b = counted(second);
             UsageFlusher one = new UsageFlusher(a, firstUses); UsageFlusher other = new UsageFlusher(b, secondUses)) {
            for (int flush = 0; flush < 3; flush++) {
                firstUses.record(id, "198.51.100.1", h.clock.millis());
                assertThat(one.flush()).isEqualTo(1);
            }
            assertThat(first.requests()).as("a sole writer: one read, then patches only")
                    .containsExactly("GET", "PATCH", "PATCH", "PATCH");

            secondUses.record(id, "198.51.100.2", h.clock.millis());
            secondUses.record(id, "198.51.100.2", h.clock.millis());
            assertThat(other.flush()).isEqualTo(1);
            firstUses.record(id, "198.51.100.1", h.clock.millis());
            assertThat(one.flush()).isEqualTo(1);
            assertThat(first.requests()).as("after another replica wrote: refused, read again, written")
                    .endsWith("PATCH", "GET", "PATCH");
            assertThat(h.record(id).getStatus().getUsageCount()).isEqualTo(6L);
        }
    }

    private KubernetesClient counted(RequestLog log) {
        return new KubernetesClientBuilder().withConfig(h.client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("log", log)).build();
    }

    /** The verbs of requests for TokenRecords, in order. */
    private static final class RequestLog implements Interceptor {
        private final List<String> verbs = new CopyOnWriteArrayList<>();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.uri().getPath().contains("/tokenrecords/")) {
                verbs.add(request.method());
            }
        }

        List<String> requests() {
            return List.copyOf(verbs);
        }
    }

    private double started(String controller) {
        Counter c = metrics.registry().find("reconciliations.started.total").tag("controller.name", controller)
                .counter();
        return c == null ? 0 : c.count();
    }
}
