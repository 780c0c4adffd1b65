package dev.kpat.scale;

import static dev.kpat.scale.OperatorAtScaleTest.print;
import static dev.kpat.scale.OperatorAtScaleTest.sleep;
import static dev.kpat.scale.OperatorAtScaleTest.uptime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.RotationSpec;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.operator.ApiRequestRateLimit;
import dev.kpat.reconcile.KpatOperator;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.MutableClock;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.TokenRecordCleanup;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rotation storm on the real control plane (profile {@code scale}): N tokens ({@code -Dkpat.storm.tokens}, default
 * 1,000) issued at one instant, then the operator restarted exactly at their plain renewal time with a client-side
 * rate limit ({@code -Dkpat.storm.qps}, burst twice that; 0: none) and its rotation spread
 * ({@code -Dkpat.storm.spread}, default 0.2; 0: every token due at the start of its window). Reports the peak request rate kube-apiserver served (its
 * {@code apiserver_request_total}, every second) and the time until every token has its second value.
 *
 * <p>In-process (the operator on the real API server, as the chart's ServiceAccount): every token must be issued at
 * the same instant, which takes a frozen clock, and a process's clock cannot be set.
 */
@Tag("scale")
@ExtendWith(RealCluster.class)
class RotationStormTest {
    private static final int TOKENS = Integer.getInteger("kpat.storm.tokens", 1_000);
    /** The operator's client-side limit ({@code --kube-api-qps}); 0: none. */
    private static final double QPS = Double.parseDouble(System.getProperty("kpat.storm.qps", "50"));
    /** The operator's {@code --rotation-spread}; 0 rotates every token at the start of its window. */
    private static final double SPREAD = Double.parseDouble(System.getProperty("kpat.storm.spread",
            Double.toString(OperatorSettings.DEFAULT_ROTATION_SPREAD)));
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    @Test
    void tokensDueAtOneInstantRotateWithinTheRateAndSpreadOverTheWindow(LocalControlPlane plane) throws Exception {
        KubernetesClient admin = plane.admin();
        String ns = "scale-storm";
        ChartRbac rbac = ChartRbac.install(plane);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            // every token issued at one frozen instant
            try (KubernetesClient client = rbac.operatorClient()) {
                Operator first = KpatOperator.create(client, OperatorSettings.defaults(), new MutableClock(issued));
                first.start();
                try (Revisions revisions = new Revisions(admin, ns)) {
                    create(admin, ns, TOKENS);
                    revisions.awaitAll(TOKENS, 1, Duration.ofMinutes(30));
                } finally {
                    first.stop();
                }
            }
            print("storm: %d tokens issued at %s, plain renewal time %s; %s", TOKENS, issued,
                    issued.plus(TTL).minus(RENEW_BEFORE), uptime());

            // the operator comes back exactly at their plain renewal time, its clock ticking from there
            Instant renewal = issued.plus(TTL).minus(RENEW_BEFORE);
            Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), renewal));
            int burst = (int) Math.max(1, Math.ceil(QPS * 2));
            List<Long> perSecond = new ArrayList<>();
            long start;
            long done;
            try (KubernetesClient limited = QPS > 0 ? rbac.operatorClient(b -> b.addOrReplaceInterceptor(
                    ApiRequestRateLimit.NAME, new ApiRequestRateLimit(QPS, burst))) : rbac.operatorClient();
                 Revisions revisions = new Revisions(admin, ns)) {
                ScheduledRate rate = new ScheduledRate(admin, perSecond);
                start = System.nanoTime();
                Operator second = KpatOperator.create(limited, OperatorSettings.defaults().withRotationSpread(SPREAD),
                        clock);
                second.start();
                try {
                    done = revisions.awaitAll(TOKENS, 2, Duration.ofMinutes(60)) - start;
                } finally {
                    rate.close();
                    second.stop();
                }
            }
            long peak = perSecond.stream().mapToLong(Long::longValue).max().orElse(0);
            // a scrape delayed on a loaded machine folds several seconds into one sample: the 10-second peak is the
            // steadier figure
            double peak10 = 0;
            for (int i = 0; i + 10 <= perSecond.size(); i++) {
                peak10 = Math.max(peak10, perSecond.subList(i, i + 10).stream().mapToLong(Long::longValue).sum() / 10.0);
            }
            double mean = perSecond.stream().mapToLong(Long::longValue).average().orElse(0);
            print("storm: %d rotations done %.1f s after the restart at the renewal time (jitter spread: %d s),"
                            + " client limit %.0f qps burst %d: API server peak %d requests/s (1 s samples), %.1f/s"
                            + " (10 s), mean %.1f over %d s; %s", TOKENS, done / 1e9,
                    (long) (RENEW_BEFORE.toSeconds() * SPREAD), QPS, burst, peak, peak10, mean, perSecond.size(),
                    uptime());
            print("storm: requests per second: %s", perSecond);
            List<PersonalAccessToken> pats = admin.resources(PersonalAccessToken.class).inNamespace(ns).list()
                    .getItems();
            assertThat(pats.stream().filter(p -> p.getStatus().getPhase() == Phase.Active
                    && p.getStatus().getRevision() == 2L).count()).isEqualTo(TOKENS);
            // the client-side limit holds the operator's share; the rest is this test's watch and the controllers
            if (QPS > 0) {
                assertThat(mean).isLessThan(QPS * 1.5 + 20);
            }
        } finally {
            for (PersonalAccessToken pat : admin.resources(PersonalAccessToken.class).inNamespace(ns).list()
                    .getItems()) {
                admin.resources(PersonalAccessToken.class).inNamespace(ns).withName(pat.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            }
            admin.namespaces().withName(ns).withTimeout(5, TimeUnit.MINUTES).delete();
            TokenRecordCleanup.deleteRecordsOf(admin, ns);
        }
    }

    private static void create(KubernetesClient admin, String ns, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "s-" + i;
                created.add(pool.submit(() -> admin.resource(pat(ns, name)).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static PersonalAccessToken pat(String namespace, String name) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("user-" + name);
        spec.setScopes(List.of("read"));
        spec.setTtl("10m");
        RotationSpec rotation = new RotationSpec();
        rotation.setEnabled(true);
        rotation.setRenewBefore("5m");
        rotation.setGracePeriod("1m");
        spec.setRotation(rotation);
        pat.setSpec(spec);
        return pat;
    }

    /** The API server's request count, sampled every second into {@code perSecond}. */
    private static final class ScheduledRate implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor();

        ScheduledRate(KubernetesClient admin, List<Long> perSecond) {
            long[] last = {ApiRequestCounts.scrape(admin).total()};
            timer.scheduleAtFixedRate(() -> {
                long now = ApiRequestCounts.scrape(admin).total();
                synchronized (perSecond) {
                    perSecond.add(now - last[0]);
                }
                last[0] = now;
            }, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** The Active revision of each token of a namespace, from a watch. */
    private static final class Revisions implements AutoCloseable {
        private final Map<String, Long> revisions = new ConcurrentHashMap<>();
        private final SharedIndexInformer<PersonalAccessToken> informer;
        private volatile long lastChange;

        Revisions(KubernetesClient client, String ns) {
            informer = client.resources(PersonalAccessToken.class).inNamespace(ns).inform(
                    new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(PersonalAccessToken pat) {
                            seen(pat);
                        }

                        @Override
                        public void onUpdate(PersonalAccessToken old, PersonalAccessToken pat) {
                            seen(pat);
                        }

                        @Override
                        public void onDelete(PersonalAccessToken pat, boolean unknown) {
                        }
                    });
        }

        private void seen(PersonalAccessToken pat) {
            if (pat.getStatus() != null && pat.getStatus().getPhase() == Phase.Active
                    && pat.getStatus().getRevision() != null) {
                Long before = revisions.put(pat.getMetadata().getName(), pat.getStatus().getRevision());
                if (!pat.getStatus().getRevision().equals(before)) {
                    lastChange = System.nanoTime();
                }
            }
        }

        long awaitAll(int n, long revision, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (revisions.values().stream().filter(r -> r >= revision).count() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not every token reached revision " + revision + " within " + timeout);
                }
                sleep(Duration.ofMillis(200));
            }
            return lastChange;
        }

        @Override
        public void close() {
            informer.close();
        }
    }
}
