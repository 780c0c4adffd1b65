package dev.kpat.testing;

import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.demo.EmbeddedCluster;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.reconcile.KpatOperator;
import dev.kpat.reconcile.TokenSecrets;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** An embedded API server with the operator running on it, and helpers that act as a user would. */
public final class OperatorHarness implements AutoCloseable {
    public static final String NS = "default";
    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    public final EmbeddedCluster cluster = new EmbeddedCluster().start();
    public final KubernetesClient client = cluster.client();
    private Operator operator;

    public OperatorHarness start(OperatorSettings settings) {
        return start(settings, new TokenMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    public OperatorHarness start(OperatorSettings settings, TokenMetrics metrics) {
        operator = KpatOperator.create(client, settings, clock, metrics);
        operator.start();
        return this;
    }

    /** Simulates a crash: the operator stops, whatever it was doing. */
    public void stopOperator() {
        operator.stop();
    }

    public PersonalAccessToken create(String name, Consumer<PersonalAccessTokenSpec> edit) {
        return create(NS, name, edit);
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
        return get(NS, name);
    }

    public PersonalAccessToken get(String namespace, String name) {
        return client.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name).get();
    }

    public void editSpec(String name, Consumer<PersonalAccessTokenSpec> edit) {
        client.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).edit(p -> {
            edit.accept(p.getSpec());
            return p;
        });
    }

    public void annotate(String name, String key, String value) {
        client.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).edit(p -> {
            p.getMetadata().getAnnotations().put(key, value);
            return p;
        });
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
        return client.secrets().inNamespace(NS).withName(name).get();
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
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> patName.equals(e.getInvolvedObject().getName())).toList();
    }

    public boolean hasEvent(String patName, String reason) {
        return events(patName).stream().anyMatch(e -> reason.equals(e.getReason()));
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.stop();
        }
        cluster.close();
    }
}
