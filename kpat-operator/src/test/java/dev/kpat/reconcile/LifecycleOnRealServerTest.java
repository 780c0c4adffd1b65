package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.runtime.EventReporter;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.WatchCount;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifecycle contract on a real control plane, the operator acting as the Helm chart's ServiceAccount with
 * exactly the chart's RBAC; no request of it may be refused (checked after each test). Plus what only a real
 * cluster has: the namespace controller and garbage collection.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class LifecycleOnRealServerTest extends LifecycleContract {
    private static RealServerOperator operator;
    private static Kubectl kubectl;

    @BeforeAll
    static void operator(RealServerOperator chartOperator, LocalControlPlane plane) {
        operator = chartOperator;
        kubectl = new Kubectl(plane, plane.adminKubeconfig());
    }

    @Test
    void theSameEventTwiceIsOneEventWithACountAndSaysWhoReportedIt() throws Exception {
        // the same refusal, said twice with an issue in between: as client-go's recorder does, one Event counts both
        Consumer<PersonalAccessTokenSpec> invalid = s -> {
            s.setTtl("never");
            var r = new RotationSpec();
            r.setEnabled(true);
            s.setRotation(r);
        };
        h.create("again", invalid);
        h.awaitPat("again", p -> phaseIs(p, "Failed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.hasEvent("again", "InvalidSpec"));
        Instant first = h.clock.instant();
        h.clock.advance(Duration.ofMinutes(1));
        h.editSpec("again", s -> s.setTtl("30d"));
        h.awaitPat("again", p -> phaseIs(p, "Active"));
        h.clock.advance(Duration.ofMinutes(1));
        h.editSpec("again", invalid);
        h.awaitPat("again", p -> phaseIs(p, "Failed"));

        // read as a user reads them
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            int said = 0;
            for (JsonNode e : invalidSpecEvents("again")) {
                said += e.path("count").asInt();
            }
            return said == 2;
        });
        JsonNode events = invalidSpecEvents("again");
        assertThat(events).as(events.toString()).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("type").asText()).isEqualTo("Warning");
        assertThat(event.path("firstTimestamp").asText()).isEqualTo(first.toString());
        assertThat(event.path("lastTimestamp").asText()).isEqualTo(h.clock.instant().toString());
        assertThat(event.path("source").path("component").asText()).isEqualTo("kpat-operator");
        assertThat(event.path("reportingComponent").asText()).isEqualTo("kpat.dev/operator");
        // the operator runs in this JVM: its instance is this process's POD_NAME, else HOSTNAME, else host name
        assertThat(event.path("reportingInstance").asText()).isNotBlank()
                .isEqualTo(EventReporter.operator().instance());
        // the Issued Event between the two is its own
        assertThat(h.events("again")).filteredOn(e -> "Issued".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    private JsonNode invalidSpecEvents(String pat) throws Exception {
        Kubectl.Result r = kubectl.run("get", "events", "-n", h.ns, "--field-selector",
                "involvedObject.name=" + pat + ",reason=InvalidSpec", "-o", "json");
        assertThat(r.ok()).as(r.toString()).isTrue();
        return Serialization.jsonMapper().readTree(r.out()).path("items");
    }

    @Test
    void deletingTheNamespaceRevokesItsTokens() {
        String doomed = h.namespace("doomed", Map.of());
        PersonalAccessToken pat = h.create(doomed, "ci", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(15)).until(() -> phaseIs(h.get(doomed, "ci"), "Active"));
        String id = h.get(doomed, "ci").getStatus().getTokenId();

        // the namespace controller deletes the Secret and the token in some order; the finalizer revokes
        h.client.namespaces().withName(doomed).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> h.get(doomed, "ci") == null);
        TokenRecord tombstone = h.record(id);
        assertThat(tombstone.getSpec().getRevokedAt()).isNotNull();
        assertThat(h.recordsOf(pat)).allSatisfy(r -> assertThat(r.getSpec().getRevokedAt()).isNotNull());
    }

    @Test
    void theSecretIsOwnedByItsTokenForGarbageCollection() {
        h.create("owned", s -> s.setTtl("30d"));
        h.awaitPat("owned", p -> phaseIs(p, "Active"));
        // with no operator to revoke and delete, an administrator removes the token, finalizer and all: the
        // garbage collector deletes the Secret, which it does only for an owner reference that names the token
        h.stopOperator();
        h.deleteTokens();
        await().atMost(Duration.ofSeconds(20)).until(() -> h.secret("owned") == null);
    }

    @ParameterizedTest(name = "propagationPolicy={0}")
    @EnumSource(DeletionPropagation.class)
    void deletionRevokesWhateverTheCascade(DeletionPropagation cascade) {
        PersonalAccessToken pat = h.create("cascade", s -> s.setTtl("30d"));
        String id = h.awaitPat("cascade", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        h.client.resources(PersonalAccessToken.class).inNamespace(h.ns).withName("cascade")
                .withPropagationPolicy(cascade).delete();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.get("cascade") == null);
        // even an orphaning delete leaves no value behind: it is revoked, so its Secret goes too
        await().atMost(Duration.ofSeconds(10)).until(() -> h.secret("cascade") == null);
        assertThat(h.record(id).getSpec().getRevocationReason()).isEqualTo("Deleted");
        assertThat(h.recordsOf(pat)).allSatisfy(r -> assertThat(r.getSpec().getRevokedAt()).isNotNull());
    }

    @Test
    void aSecretTheClusterRefusesIsRetriedWithBackoffNotInALoop() {
        // the cluster's own admission rules (as Kyverno or Gatekeeper would) refuse kpat's Secrets in this namespace
        try (RefusedSecrets refused = RefusedSecrets.in(h)) {
            // its refusals are HTTP 422, though their message says "forbidden"
            operator.excuseLogLinesContaining(refused.policyName());
            try (WatchCount issued = WatchCount.of(h.client.resources(TokenRecord.class)
                    .withLabel(Labels.PAT_NAMESPACE, h.ns), Watcher.Action.ADDED)) {
                h.create("refused", s -> s.setTtl("30d"));
                PersonalAccessToken pat = h.awaitPat("refused", p -> p.getStatus() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "ReconcileError".equals(c.getReason())));
                assertThat(pat.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getMessage())
                        .isEqualTo("Kubernetes API request failed (HTTP 422); retrying with backoff"));
                // retried on its own: kstatus Reconciling, not Stalled (Flux keeps waiting instead of failing)
                assertThat(pat.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Reconciling");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("ReconcileError");
                }).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Stalled");
                    assertThat(c.getStatus()).isEqualTo("False");
                });
                // a few attempts, spaced out: not a value and a record a millisecond, for ever
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> issued.count() <= 3);
                // each refused attempt takes its pending record back (an attempt may be under way at any instant:
                // between two of them, seconds apart, there is none)
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> h.recordsOf(pat).isEmpty());
                assertThat(h.secret("refused")).isNull();
            }
            refused.lift();
            h.poke("refused");
            h.awaitPat("refused", p -> phaseIs(p, "Active"));
        }
    }
}
