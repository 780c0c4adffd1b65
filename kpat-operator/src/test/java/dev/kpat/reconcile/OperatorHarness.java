package dev.kpat.reconcile;

import dev.kpat.testing.MutableClock;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.metrics.TokenMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The operator running in-process on an API server, and helpers that act as a user would. Two backends: the
 * embedded mock API (the default: fast, but no validation, admission, RBAC or garbage collection) and a real
 * control plane, where the operator acts through a client of its own (e.g. the chart's ServiceAccount) and the
 * test owns a fresh namespace that is removed, with everything in it, on close.
 */
public final class OperatorHarness implements AutoCloseable {
    /** The label the API server puts on every namespace; set by hand on the mock so selectors behave alike. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    /** The embedded mock API; null on a real control plane. */
    public final EmbeddedCluster cluster;
    /** The user's client: creates and edits what a user (kubectl, GitOps) would. An administrator on a real server. */
    public final KubernetesClient client;
    /** The namespace the test's tokens live in: {@code default} on the mock, a fresh one on a real server. */
    public final String ns;
    private final KubernetesClient operatorClient;
    private final List<String> namespaces = new ArrayList<>();
    private Operator operator;
    private boolean operatorRunning;

    /** On the embedded mock API, in namespace {@code default}; the operator shares the user's client. */
    public OperatorHarness() {
        this.cluster = new EmbeddedCluster().start();
        this.client = cluster.client();
        this.operatorClient = client;
        this.ns = "default";
        createNamespace(ns, Map.of());
    }

    private OperatorHarness(KubernetesClient user, KubernetesClient operatorClient, String ns) {
        this.cluster = null;
        this.client = user;
        this.operatorClient = operatorClient;
        this.ns = ns;
        createNamespace(ns, Map.of());
    }

    /**
     * On a real control plane: the user acts as its administrator, the operator through {@code operatorClient}
     * (which the caller owns and closes), in a new namespace named after {@code prefix}.
     */
    public static OperatorHarness onRealServer(LocalControlPlane plane, KubernetesClient operatorClient,
                                               String prefix) {
        return new OperatorHarness(plane.admin(), operatorClient, prefix + "-" + randomSuffix());
    }

    public boolean onRealServer() {
        return cluster == null;
    }

    /** The namespaces this test owns: {@link #ns} and those made with {@link #namespace}. */
    public List<String> ownNamespaces() {
        return List.copyOf(namespaces);
    }

    /**
     * Another namespace owned by this test (cleaned up with it): {@code <ns>-<suffix>}, with {@code labels} and the
     * name label. Returns its name.
     */
    public String namespace(String suffix, Map<String, String> labels) {
        String name = ns + "-" + suffix;
        createNamespace(name, labels);
        return name;
    }

    private void createNamespace(String name, Map<String, String> labels) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(NAMESPACE_NAME_LABEL, name);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(all)
                .endMetadata().build()).create();
        namespaces.add(name);
    }

    public OperatorHarness start(OperatorSettings settings) {
        return start(settings, new TokenMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    public OperatorHarness start(OperatorSettings settings, TokenMetrics metrics) {
        operator = KpatOperator.create(operatorClient, settings, clock, metrics);
        operator.start();
        operatorRunning = true;
        return this;
    }

    /** Simulates a crash: the operator stops, whatever it was doing. */
    public void stopOperator() {
        operator.stop();
        operatorRunning = false;
    }

    public PersonalAccessToken create(String name, Consumer<PersonalAccessTokenSpec> edit) {
        return create(ns, name, edit);
    }

    public PersonalAccessToken create(String namespace, String name, Consumer<PersonalAccessTokenSpec> edit) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("user-a");
        spec.setScopes(List.of("read", "write:tasks"));
        edit.accept(spec);
        pat.setSpec(spec);
        return client.resource(pat).create();
    }

    public PersonalAccessToken get(String name) {
        return get(ns, name);
    }

    public PersonalAccessToken get(String namespace, String name) {
        return client.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name).get();
    }

    /**
     * Edits the spec as {@code kubectl edit} does: against the version read, again on a conflict (the operator
     * writes status and finalizers concurrently, which a real API server reports as a conflict).
     */
    public void editSpec(String name, Consumer<PersonalAccessTokenSpec> edit) {
        onConflictAgain(() -> client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name).edit(p -> {
            edit.accept(p.getSpec());
            return p;
        }));
    }

    public void annotate(String name, String key, String value) {
        onConflictAgain(() -> client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name).edit(p -> {
            p.getMetadata().getAnnotations().put(key, value);
            return p;
        }));
    }

    private static void onConflictAgain(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public void delete(String name) {
        client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name).delete();
    }

    /** Makes the operator look again now (a user edit does the same): used after moving the clock. */
    public void poke(String name) {
        annotate(name, "test.kpat.dev/poke", String.valueOf(System.nanoTime()));
    }

    public PersonalAccessToken awaitPat(String name, Predicate<PersonalAccessToken> condition) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    PersonalAccessToken p = get(name);
                    return p != null && condition.test(p);
                });
        return get(name);
    }

    public static boolean phaseIs(PersonalAccessToken p, String phase) {
        return p.getStatus() != null && p.getStatus().getPhase() != null
                && p.getStatus().getPhase().name().equals(phase);
    }

    public Secret secret(String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    /** The value in a Secret. Tests compare it, never print it. */
    public String valueIn(String secretName) {
        Secret s = secret(secretName);
        return s == null || TokenSecrets.valueOf(s) == null ? null : TokenSecrets.valueOf(s).reveal();
    }

    public TokenRecord record(String id) {
        return client.resources(TokenRecord.class).withName(id).get();
    }

    public List<TokenRecord> recordsOf(PersonalAccessToken pat) {
        return client.resources(TokenRecord.class).withLabel(Labels.PAT_UID, pat.getMetadata().getUid()).list()
                .getItems();
    }

    public List<Event> events(String patName) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> patName.equals(e.getInvolvedObject().getName())).toList();
    }

    public boolean hasEvent(String patName, String reason) {
        return events(patName).stream().anyMatch(e -> reason.equals(e.getReason()));
    }

    /**
     * On a real server, removes the test's tokens the way a user does: deleted while the operator runs, since its
     * finalizer revokes them first; once they are gone, their TokenRecords too. Without a running operator the
     * finalizers are removed by hand. Called by {@link #close()}; a test that runs operators of its own calls it
     * before stopping them.
     */
    public void deleteTokens() {
        for (String n : namespaces) {
            client.resources(PersonalAccessToken.class).inNamespace(n).delete();
        }
        if (!operatorRunning) {
            releaseFinalizers();
        }
        try {
            await().atMost(CLEANUP_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> namespaces.stream()
                    .allMatch(n -> client.resources(PersonalAccessToken.class).inNamespace(n).list().getItems()
                            .isEmpty()));
        } catch (ConditionTimeoutException e) {
            releaseFinalizers();
            throw new AssertionError("the operator did not finalize the test's tokens within " + CLEANUP_TIMEOUT, e);
        }
        for (String n : namespaces) {
            client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, n).delete();
        }
    }

    private void releaseFinalizers() {
        for (String n : namespaces) {
            for (PersonalAccessToken p : client.resources(PersonalAccessToken.class).inNamespace(n).list()
                    .getItems()) {
                try {
                    onConflictAgain(() -> client.resources(PersonalAccessToken.class).inNamespace(n)
                            .withName(p.getMetadata().getName()).edit(x -> {
                                x.getMetadata().setFinalizers(List.of());
                                return x;
                            }));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Mock: stops the operator and the API. Real server: deletes the test's tokens through the running operator,
     * stops it, then deletes the test's namespaces (the namespace controller removes the rest).
     */
    @Override
    public void close() {
        try {
            if (onRealServer()) {
                deleteTokens();
            }
        } finally {
            if (operatorRunning) {
                stopOperator();
            }
            if (onRealServer()) {
                namespaces.forEach(n -> client.namespaces().withName(n).delete());
            } else {
                cluster.close();
            }
        }
    }

    private static String randomSuffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
