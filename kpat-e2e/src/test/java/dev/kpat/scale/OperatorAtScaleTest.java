package dev.kpat.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.TokenRecordCleanup;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator at scale on the real control plane (profile {@code scale}, not a timed test): the operator as its own
 * process (full JIT, 1 GiB heap), N tokens ({@code -Dkpat.scale.tokens}, default 1,000) created while it is down,
 * then started: the time until all are Active; the writes it made, counted by kube-apiserver; the same writes issued
 * blindly by a Fabric8 client as the operator's ServiceAccount at the operator's concurrency (the floor), in the same
 * run; the operator's live heap (after a full GC) with 0 and N tokens; and the requests per minute while nothing
 * changes. Figures go to BENCHMARKS.md.
 */
@Tag("scale")
@ExtendWith(RealCluster.class)
class OperatorAtScaleTest {
    private static final int TOKENS = Integer.getInteger("kpat.scale.tokens", 1_000);
    /** JOSDK's default number of reconciliation threads: the operator's concurrency. */
    private static final int CONCURRENCY = Integer.getInteger("kpat.scale.concurrency", 50);
    private static final Duration STEADY = Duration.ofSeconds(Long.getLong("kpat.scale.steadySeconds", 180));
    private static final boolean USAGE = Boolean.parseBoolean(System.getProperty("kpat.scale.usage", "true"));
    /**
     * JVM options for both operator processes, {@code -Dkpat.scale.operatorJvm} appended (say, a JFR recording).
     * {@code MarkSweepDeadRatio=0}: by default the serial collector's full GC leaves up to 5 % of the old generation
     * as dead {@code int[]} fillers rather than compact it, which the class histogram counted as live (13.9 MiB at
     * 1,000 tokens, "int[] of unknown owner" in earlier runs; a heap dump of the same process held 1.0 MiB of int[]).
     */
    private static final List<String> JVM = Stream.concat(Stream.of("-Xmx1g", "-XX:+UseSerialGC",
                    "-XX:MarkSweepDeadRatio=0"),
            words(System.getProperty("kpat.scale.operatorJvm", ""))).toList();
    private static final List<String> EXTRA_ARGS = words(System.getProperty("kpat.scale.operatorArgs", "")).toList();

    private static Stream<String> words(String line) {
        return Stream.of(line.split(" ")).filter(s -> !s.isBlank());
    }

    @Test
    void tenThousandTokensAgainstTheWriteFloor(LocalControlPlane plane) throws Exception {
        KubernetesClient admin = plane.admin();
        String floorNs = "scale-floor";
        try (OperatorProcesses processes = new OperatorProcesses(plane, "scale-op", List.of())) {
            String ns = processes.namespace();
            print("scale: %d tokens, concurrency %d, operator args %s; %s", TOKENS, CONCURRENCY, EXTRA_ARGS, uptime());

            // the operator's heap with no token of its own
            OperatorProcess empty = processes.start("empty", "kpat-scale-empty", EXTRA_ARGS, JVM)
                    .awaitReady(Duration.ofMinutes(2));
            sleep(Duration.ofSeconds(10));
            HeapHistogram heap0 = HeapHistogram.of(empty.pid());
            print("scale: operator live heap with no token: top classes:%n%s", String.join("\n", heap0.topClasses()));
            empty.stop();

            // N tokens created while no operator runs
            long createdIn = create(admin, ns, TOKENS);
            print("scale: %d PATs created in %.1f s (%d clients)", TOKENS, createdIn / 1e9, CONCURRENCY);

            ApiRequestCounts beforeOperator = ApiRequestCounts.scrape(admin);
            long start = System.nanoTime();
            long active;
            long ready;
            OperatorProcess operator;
            try (ActiveCount count = new ActiveCount(admin, ns)) {
                operator = processes.start("scale", "kpat-scale", EXTRA_ARGS, JVM);
                operator.awaitReady(Duration.ofMinutes(5));
                ready = System.nanoTime() - start;
                active = count.awaitAll(TOKENS, Duration.ofMinutes(60)) - start;
            }
            // the last writes after Active (Events) land within moments
            sleep(Duration.ofSeconds(5));
            ApiRequestCounts byOperator = ApiRequestCounts.scrape(admin).since(beforeOperator);
            print("scale: operator: all %d Active %.1f s after its process started, %.1f s after it was ready"
                            + " (informers synced at %.1f s; %.0f tokens/s from ready); %s", TOKENS, active / 1e9,
                    (active - ready) / 1e9, ready / 1e9, TOKENS / ((active - ready) / 1e9), uptime());
            print("scale: requests while the operator converged (the test's only request: one watch):%n%s",
                    byOperator.table(TOKENS, "per token"));
            List<TokenRecord> records = admin.resources(TokenRecord.class)
                    .withLabel(Labels.PAT_NAMESPACE, ns).list().getItems();
            // counts only: a failing assertion on the records would print their hashes
            assertThat(records.size()).isEqualTo(TOKENS);
            assertThat(records.stream().filter(r -> r.getSpec().pending()).count()).isZero();

            // retained heap with N tokens
            sleep(Duration.ofSeconds(10));
            assertThat(operator.isAlive()).as("the operator process is still running (log: %s)",
                    "target/operator-processes/" + ns + "/scale.log").isTrue();
            HeapHistogram heapN = HeapHistogram.of(operator.pid());
            print("scale: operator live heap after full GC: %.1f MiB with 0 tokens, %.1f MiB with %d:"
                            + " %.2f KiB per token; top classes with %d:%n%s", heap0.liveBytes() / 1048576.0,
                    heapN.liveBytes() / 1048576.0, TOKENS, (heapN.liveBytes() - heap0.liveBytes()) / 1024.0 / TOKENS,
                    TOKENS, String.join("\n", heapN.topClasses()));

            // steady state: nothing changes
            sleep(Duration.ofSeconds(20));
            ApiRequestCounts steadyStart = ApiRequestCounts.scrape(admin);
            print("scale: steady state for %d s, %s", STEADY.toSeconds(), uptime());
            sleep(STEADY);
            ApiRequestCounts steady = ApiRequestCounts.scrape(admin).since(steadyStart);
            print("scale: requests per minute with %d tokens and no change (everything the API server served,"
                    + " kube-controller-manager included):%n%s", TOKENS, steady.table(STEADY.toSeconds() / 60.0,
                    "per minute"));

            if (USAGE) {
                try {
                    usage(admin, processes, ns);
                } catch (Exception | AssertionError e) {
                    // reported, not fatal: the floor below is this run's main figure
                    print("scale: the steady state with use failed: %s", e);
                }
            }

            // the floor: the operator's writes without the operator, in the same run
            PersonalAccessToken template = admin.resources(PersonalAccessToken.class).inNamespace(ns)
                    .withName("t-0").get();
            TokenRecord recordTemplate = admin.resources(TokenRecord.class)
                    .withName(template.getStatus().getTokenId()).get();
            Secret secretTemplate = admin.secrets().inNamespace(ns).withName(template.secretName()).get();
            Event eventTemplate = admin.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "Issued".equals(e.getReason())).findFirst().orElseThrow();
            operator.stop();
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(floorNs).endMetadata()
                    .build()).serverSideApply();
            long floorCreatedIn = create(admin, floorNs, TOKENS);
            List<PersonalAccessToken> floorPats = admin.resources(PersonalAccessToken.class).inNamespace(floorNs)
                    .list().getItems();
            ApiRequestCounts beforeFloor = ApiRequestCounts.scrape(admin);
            long floorStart = System.nanoTime();
            try (KubernetesClient operatorIdentity = processes.rbac().operatorClient()) {
                new WriteFloor(operatorIdentity, recordTemplate, secretTemplate, template, eventTemplate)
                        .run(floorPats, CONCURRENCY);
            }
            long floor = System.nanoTime() - floorStart;
            ApiRequestCounts byFloor = ApiRequestCounts.scrape(admin).since(beforeFloor);
            print("scale: floor: %d PATs created in %.1f s; their operator writes in %.1f s (%.0f tokens/s); %s",
                    TOKENS, floorCreatedIn / 1e9, floor / 1e9, TOKENS / (floor / 1e9), uptime());
            print("scale: requests of the floor:%n%s", byFloor.table(TOKENS, "per token"));
            print("scale: RESULT %d tokens: operator %.1f s from its start (%.1f s from ready), floor %.1f s, ratio"
                            + " %.2f (%.2f from ready); heap %.2f KiB per token; operator writes %.2f per token, floor"
                            + " %.2f", TOKENS, active / 1e9, (active - ready) / 1e9, floor / 1e9,
                    (double) active / floor, (double) (active - ready) / floor,
                    (heapN.liveBytes() - heap0.liveBytes()) / 1024.0 / TOKENS,
                    byOperator.writes().total() / (double) TOKENS, byFloor.writes().total() / (double) TOKENS);
            processes.all().forEach(OperatorProcess::close);
            deletePats(admin, ns);
        } finally {
            deleteFloor(admin, floorNs);
        }
    }

    /**
     * Steady state with use: a verifier process (default flags, its usage flush every 10 s) and users presenting
     * every token over and over; the requests per minute the API server serves meanwhile.
     */
    private static void usage(KubernetesClient admin, OperatorProcesses processes, String ns) throws Exception {
        List<String> values = admin.secrets().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .list().getItems().stream().map(s -> new String(java.util.Base64.getDecoder().decode(
                        s.getData().get(Labels.SECRET_KEY)), StandardCharsets.UTF_8)).toList();
        // the size only: a failing assertion on the list would print the values
        assertThat(values.size()).isEqualTo(TOKENS);
        int port = freePort();
        Path dir = Path.of("target", "operator-processes", ns);
        Path kubeconfig = Files.copy(processes.rbac().verifierKubeconfig(), dir.resolve("verifier.kubeconfig"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (OperatorProcess verifier = OperatorProcess.startVerifier("scale-verifier", kubeconfig,
                dir.resolve("verifier.log"), List.of("--host=127.0.0.1", "--port=" + freePort(),
                        "--http-port=" + port)).awaitReady(Duration.ofMinutes(2));
             UsageLoad load = new UsageLoad(java.net.URI.create("http://127.0.0.1:" + port + "/v1/auth?scope=read"),
                     values, 8)) {
            // every token used once and flushed before counting
            while (load.passes() < 8) {
                sleep(Duration.ofSeconds(1));
            }
            sleep(Duration.ofSeconds(15));
            long allowedBefore = load.allowed();
            ApiRequestCounts start = ApiRequestCounts.scrape(admin);
            print("scale: steady state with use for %d s, %s", STEADY.toSeconds(), uptime());
            sleep(STEADY);
            ApiRequestCounts used = ApiRequestCounts.scrape(admin).since(start);
            long presented = load.allowed() - allowedBefore;
            print("scale: requests per minute with %d tokens all in use (%d forward-auth requests allowed in %d s,"
                            + " %d refused in all; a verifier with the default 10 s usage flush):%n%s", TOKENS,
                    presented, STEADY.toSeconds(), load.refused(), used.table(STEADY.toSeconds() / 60.0,
                            "per minute"));
            assertThat(load.refused()).isZero();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Creates {@code n} PATs t-0..t-(n-1) in {@code ns} from the concurrency's worth of threads; nanoseconds. */
    private static long create(KubernetesClient admin, String ns, int n) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "t-" + i;
                created.add(pool.submit(() -> admin.resource(pat(ns, name)).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return System.nanoTime() - start;
    }

    static PersonalAccessToken pat(String namespace, String name) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("user-" + name);
        spec.setScopes(List.of("read", "write:tasks"));
        spec.setTtl("30d");
        pat.setSpec(spec);
        return pat;
    }

    private static void deleteFloor(KubernetesClient admin, String ns) throws Exception {
        if (admin.namespaces().withName(ns).get() == null) {
            return;
        }
        deletePats(admin, ns);
        admin.namespaces().withName(ns).withTimeout(5, TimeUnit.MINUTES).delete();
        TokenRecordCleanup.deleteRecordsOf(admin, ns);
    }

    /**
     * Deletes every PAT of the namespace with no operator running: finalizers lifted from many threads, then one
     * collection delete (one by one, 10,000 would take many minutes).
     */
    static void deletePats(KubernetesClient admin, String ns) throws Exception {
        var pats = admin.resources(PersonalAccessToken.class).inNamespace(ns);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> lifted = new ArrayList<>();
            for (PersonalAccessToken pat : pats.list().getItems()) {
                lifted.add(pool.submit(() -> pats.resource(pat).patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"finalizers\":null}}")));
            }
            for (Future<?> f : lifted) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        pats.delete();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!pats.list().getItems().isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(2));
        }
    }

    static String uptime() {
        try {
            return "load " + Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return "load unknown";
        }
    }

    static void print(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }

    static void sleep(Duration d) {
        OperatorProcesses.sleep(d);
    }

    /** Counts the Active tokens of a namespace from a watch (one request, not a poll of N objects). */
    static final class ActiveCount implements AutoCloseable {
        private final Set<String> active = ConcurrentHashMap.newKeySet();
        private final SharedIndexInformer<PersonalAccessToken> informer;
        private volatile long lastChange;

        ActiveCount(KubernetesClient client, String ns) {
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
                            active.remove(pat.getMetadata().getName());
                        }
                    });
        }

        private void seen(PersonalAccessToken pat) {
            if (pat.getStatus() != null && pat.getStatus().getPhase() == Phase.Active
                    && active.add(pat.getMetadata().getName())) {
                lastChange = System.nanoTime();
            }
        }

        /** Waits until {@code n} are Active; returns the System.nanoTime at which the last one was seen so. */
        long awaitAll(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (active.size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(active.size() + " of " + n + " Active after " + timeout);
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
