package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.TokenSecrets;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.TlsClients;
import dev.kpat.token.TokenFormat;
import dev.kpat.verify.AuditLog;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lock-out resistance through the real API server (issue 8): the verifier, with its default failure limits, is the
 * kube-apiserver's TokenReview webhook; several concurrent clients send junk bearer tokens to the API server
 * (well-formed unknown values, mistyped ones, other prefixes, random text, one dead value over and over), every
 * one of which the API server relays to the verifier from the same address. Meanwhile and right afterwards a valid
 * PAT, used for the first time (so no cache of the API server's helps), still lists its owner's ConfigMaps with
 * {@code kubectl --token}. {@code -Dkpat.flood.tokens=N} (default 10,000) and {@code -Dkpat.flood.clients=N} (8).
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JunkTokenFloodTest {
    private static final int JUNK = Integer.getInteger("kpat.flood.tokens", 10_000);
    private static final int CLIENTS = Integer.getInteger("kpat.flood.clients", 8);
    private static final long SEED = Long.getLong("kpat.flood.seed", System.nanoTime());
    private static final String OWNER = "flood-owner";
    private static final int DURING = 3;

    private final String ns = "kpat-flood-" + UUID.randomUUID().toString().substring(0, 6);
    private final DecisionCounter decisions = new DecisionCounter();
    private LocalControlPlane plane;
    private KubernetesClient client;
    private WebhookVerifier webhooks;
    private Kubectl withToken;

    @BeforeAll
    void start(LocalControlPlane plane) throws Exception {
        this.plane = plane;
        client = plane.clientFor("kpat-flood-test", "system:masters");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("flood-probe")
                .endMetadata().build()).create();
        client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("cm-reader")
                .endMetadata().addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list")
                .endRule().build()).create();
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("owner-reads").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "cm-reader")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(OWNER)
                .endSubject().build()).create();
        // the verifier's defaults (60 failures a minute, burst 20), as users run it
        webhooks = WebhookVerifier.authenticating(plane, client, ns, List.of("127.0.0.1"), AuditLog.to(decisions));
        withToken = new Kubectl(plane, plane.kubeconfigWithoutCredentials());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            var pats = client.resources(PersonalAccessToken.class).inNamespace(ns);
            pats.delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> pats.list().getItems().isEmpty());
            client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, ns).delete();
            client.namespaces().withName(ns).delete();
        } finally {
            if (webhooks != null) {
                webhooks.close();
            }
            client.close();
        }
    }

    @Test
    void junkTokensThroughTheApiServerLockNoValidPatOut() throws Exception {
        List<String> during = new ArrayList<>();
        for (int i = 0; i < DURING; i++) {
            during.add(issue("during-" + i));
        }
        String after = issue("after");
        System.out.printf("flood: %d junk tokens from %d clients, seed %d (-Dkpat.flood.seed to replay)%n", JUNK,
                CLIENTS, SEED);

        Flood flood = new Flood(plane, ns, CLIENTS, new Random(SEED));
        Instant start = Instant.now();
        Future<Map<Integer, Integer>> statuses = flood.start(JUNK);
        List<Long> duringMillis = new ArrayList<>();
        for (int i = 0; i < DURING; i++) {
            int mark = JUNK * (i + 1) / (DURING + 1);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> flood.sent() >= mark);
            long t0 = System.nanoTime();
            assertListsConfigMaps(during.get(i), "while the flood runs (" + flood.sent() + " sent)");
            duringMillis.add((System.nanoTime() - t0) / 1_000_000);
            assertThat(flood.done()).as("still flooding when the valid PAT was checked: lower the mark").isFalse();
        }
        Map<Integer, Integer> byStatus = statuses.get();
        Duration took = Duration.between(start, Instant.now());
        long t0 = System.nanoTime();
        assertListsConfigMaps(after, "right after the flood, first attempt");
        long afterMillis = (System.nanoTime() - t0) / 1_000_000;

        await().atMost(Duration.ofSeconds(10)).until(() -> decisions.tokenReviewDenials() >= flood.distinct() * 0.95);
        System.out.printf("flood: %d junk requests in %.1f s (%.0f/s) from %d clients, answered %s by the API server;"
                        + " the verifier denied %d TokenReviews (%d distinct junk values); valid PATs used for the "
                        + "first time during the flood: kubectl ok in %s ms, right after: ok in %d ms%n", JUNK,
                took.toMillis() / 1000.0, JUNK * 1000.0 / took.toMillis(), CLIENTS, byStatus,
                decisions.tokenReviewDenials(), flood.distinct(), duringMillis, afterMillis);
        assertThat(byStatus).as("every junk token is Unauthorized").containsOnlyKeys(401);
        assertThat(byStatus.get(401)).isEqualTo(JUNK);
        assertThat(decisions.tokenReviewAllows()).as("the valid PATs, each reviewed once")
                .isGreaterThanOrEqualTo(DURING + 1);
    }

    private void assertListsConfigMaps(String value, String when) {
        Kubectl.Result r = withToken.run("--token", value, "get", "configmaps", "-n", ns, "-o", "name");
        assertThat(r.ok()).as("kubectl --token <valid PAT> " + when + ": " + r.toString().replace(value, "<token>"))
                .isTrue();
        assertThat(r.out()).contains("configmap/flood-probe");
    }

    /** Creates a PAT as an administrator and returns its value, read from the Secret (never printed). */
    private String issue(String name) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(OWNER);
        spec.setScopes(List.of("read"));
        spec.setTtl("1h");
        pat.setSpec(spec);
        client.resource(pat).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PersonalAccessToken p = client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name).get();
            return p.getStatus() != null && p.getStatus().getPhase() == Phase.Active;
        });
        return TokenSecrets.valueOf(client.secrets().inNamespace(ns).withName(name).get()).reveal();
    }

    /** Junk bearer tokens against the API server from several clients at once; no value is kept or printed. */
    static final class Flood {
        private final LocalControlPlane plane;
        private final String ns;
        private final int clients;
        private final Random random;
        private final TokenFormat kpat = new TokenFormat("kpat_");
        private final TokenFormat other = new TokenFormat("ghp_");
        private final String deadValue = kpat.generate().reveal();
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicLong distinct = new AtomicLong();
        private volatile boolean done;

        Flood(LocalControlPlane plane, String ns, int clients, Random random) {
            this.plane = plane;
            this.ns = ns;
            this.clients = clients;
            this.random = random;
        }

        int sent() {
            return sent.get();
        }

        long distinct() {
            return distinct.get();
        }

        boolean done() {
            return done;
        }

        /** Sends {@code total} junk requests; the future holds the count of each HTTP status. */
        Future<Map<Integer, Integer>> start(int total) {
            ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
            Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                // each client its own connection pool; HTTP/1.1, as the API server ends HTTP/2 on a 401 (GOAWAY)
                HttpClient http = TlsClients.trusting(plane.caPem(), null);
                workers.add(pool.submit(() -> {
                    while (next.getAndIncrement() < total) {
                        String junk = junk();
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(plane.url()
                                        + "/api/v1/namespaces/" + ns + "/configmaps"))
                                .header("Authorization", "Bearer " + junk).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        byStatus.merge(r.statusCode(), 1, Integer::sum);
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            return pool.submit(() -> {
                try {
                    for (Future<?> w : workers) {
                        w.get();
                    }
                    return byStatus;
                } finally {
                    done = true;
                    pool.shutdown();
                }
            });
        }

        /** One junk value: well-formed unknown, mistyped, another prefix, random text, JWT-like, or the dead one. */
        private String junk() {
            int kind;
            synchronized (random) {
                kind = random.nextInt(10);
            }
            if (kind == 9) {
                return deadValue; // the API server caches its refusal: only the first ones reach the verifier
            }
            distinct.incrementAndGet();
            return switch (kind) {
                case 0, 1, 2, 3 -> kpat.generate().reveal();
                case 4, 5 -> mistyped(kpat.generate().reveal());
                case 6 -> other.generate().reveal();
                case 7 -> printable(1 + nextInt(200));
                default -> "eyJhbGciOiJSUzI1NiJ9." + printable(40).replaceAll("[^A-Za-z0-9]", "x") + ".sig";
            };
        }

        private String mistyped(String value) {
            int at = 5 + nextInt(value.length() - 5);
            char c = value.charAt(at);
            return value.substring(0, at) + (c == 'a' ? 'b' : 'a') + value.substring(at + 1);
        }

        private String printable(int length) {
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append((char) ('!' + nextInt('~' - '!' + 1)));
            }
            return sb.toString();
        }

        private int nextInt(int bound) {
            synchronized (random) {
                return random.nextInt(bound);
            }
        }
    }

    /** Counts the verifier's audit lines of TokenReview decisions (allow and deny), never keeping them. */
    static final class DecisionCounter extends OutputStream {
        private final StringBuilder line = new StringBuilder();
        private final AtomicLong denials = new AtomicLong();
        private final AtomicLong allows = new AtomicLong();

        long tokenReviewDenials() {
            return denials.get();
        }

        long tokenReviewAllows() {
            return allows.get();
        }

        @Override
        public synchronized void write(int b) {
            if (b != '\n') {
                line.append((char) b);
                return;
            }
            String l = line.toString();
            line.setLength(0);
            if (l.contains("\"endpoint\":\"tokenreview\"")) {
                (l.contains("\"decision\":\"deny\"") ? denials : allows).incrementAndGet();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
