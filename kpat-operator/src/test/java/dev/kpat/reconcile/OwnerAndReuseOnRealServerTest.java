package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.RotationSpec;
import dev.kpat.api.TokenPolicy;
import dev.kpat.api.TokenPolicySpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.DeniedRequests;
import dev.kpat.testing.RealCluster;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.VerifierService;
import dev.kpat.verify.VerifierSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Owner lifecycle and reuse detection on a real control plane: the operator as the chart's ServiceAccount, a verifier
 * in-process as the chart's verifier ServiceAccount (each with exactly the chart's RBAC; no request of either may be
 * refused), tokens presented to the verifier's HTTP endpoint as a service would. Values are compared, never printed.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class OwnerAndReuseOnRealServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RealServerOperator operator;
    private static KubernetesClient verifierClient;
    private static final DeniedRequests VERIFIER_DENIED = new DeniedRequests();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream audit = new ByteArrayOutputStream();
    private OperatorHarness h;
    private VerifierService verifier;

    @BeforeAll
    static void identities(RealServerOperator chartOperator, LocalControlPlane plane) {
        operator = chartOperator;
        verifierClient = ChartRbac.install(plane).verifierClient(VERIFIER_DENIED.installer());
    }

    @AfterAll
    static void closeVerifierClient() {
        verifierClient.close();
    }

    @BeforeEach
    void start() throws Exception {
        h = operator.harness("kpat-owner").start(OperatorSettings.defaults());
        verifier = new VerifierService(verifierClient, VerifierSettings.plain(0), h.clock, AuditLog.to(audit))
                .start();
        await().atMost(WAIT).until(verifier::ready);
    }

    @AfterEach
    void stop() {
        try {
            verifier.close();
            h.close();
        } finally {
            List<String> denied = VERIFIER_DENIED.denied();
            VERIFIER_DENIED.clear();
            assertThat(denied).as("requests of the verifier's ServiceAccount the API server refused").isEmpty();
        }
    }

    @Test
    void aDeletedServiceAccountsTokensAreRefusedAndOneCreatedAgainDoesNotInheritThem() throws Exception {
        String firstUid = createServiceAccount("deployer");
        String owner = "system:serviceaccount:" + h.ns + ":deployer";
        PersonalAccessToken pat = h.create("deploy", s -> {
            s.setOwner(owner);
            s.setTtl("30d");
        });
        PersonalAccessToken active = h.awaitPat("deploy", p -> phaseIs(p, "Active"));
        assertThat(active.getStatus().getOwnerUid()).isEqualTo(firstUid);
        String firstId = active.getStatus().getTokenId();
        assertThat(h.record(firstId).getSpec().getOwnerUid()).isEqualTo(firstUid);
        String value = h.valueIn("deploy");
        await().atMost(WAIT).until(() -> auth(value) == 200);

        h.client.serviceAccounts().inNamespace(h.ns).withName("deployer").delete();
        PersonalAccessToken blocked = h.awaitPat("deploy", p -> readyReason(p, "OwnerDeleted"));
        assertThat(blocked.getStatus().getPhase().name()).isEqualTo("Failed");
        assertThat(ready(blocked).getStatus()).isEqualTo("False");
        assertThat(ready(blocked).getMessage()).contains("ServiceAccount " + h.ns + "/deployer was deleted")
                .contains("kpat.dev/rotate");
        assertThat(condition(blocked, "Stalled").getStatus()).as("waits for a rotation").isEqualTo("True");
        assertThat(condition(blocked, "Stalled").getReason()).isEqualTo("OwnerDeleted");
        assertThat(h.record(firstId).getSpec().getRevocationReason()).isEqualTo("OwnerDeleted");
        await().atMost(WAIT).until(() -> h.hasEvent("deploy", "OwnerDeleted"));
        assertThat(h.events("deploy")).filteredOn(e -> "OwnerDeleted".equals(e.getReason()))
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        await().atMost(WAIT).until(() -> auth(value) == 401 && audited(firstId, "owner_deleted"));

        // the same name, another ServiceAccount: it does not inherit the value, and nothing new is issued for it
        String secondUid = createServiceAccount("deployer");
        assertThat(secondUid).isNotEqualTo(firstUid);
        h.awaitPat("deploy", p -> ready(p).getMessage().contains("deleted and created again"));
        h.poke("deploy");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> readyReason(h.get("deploy"), "OwnerDeleted") && h.recordsOf(pat).size() == 1);
        assertThat(auth(value)).isEqualTo(401);
        assertThat(value.equals(h.valueIn("deploy"))).as("the Secret still holds the revoked value").isTrue();

        // what the user does: a rotation issues a value bound to the ServiceAccount that exists now
        h.annotate("deploy", "kpat.dev/rotate", "owner-replaced");
        PersonalAccessToken rebound = h.awaitPat("deploy", p -> phaseIs(p, "Active"));
        assertThat(rebound.getStatus().getOwnerUid()).isEqualTo(secondUid);
        assertThat(h.record(rebound.getStatus().getTokenId()).getSpec().getOwnerUid()).isEqualTo(secondUid);
        String fresh = h.valueIn("deploy");
        assertThat(fresh.equals(value)).as("a new value was issued").isFalse();
        await().atMost(WAIT).until(() -> auth(fresh) == 200);
        assertThat(auth(value)).isEqualTo(401);
    }

    @Test
    void aTokenWhoseServiceAccountIsAppliedLaterWaitsForIt() {
        // GitOps applies in any order: the token first, its ServiceAccount a moment later
        h.create("early", s -> {
            s.setOwner("system:serviceaccount:" + h.ns + ":late");
            s.setTtl("30d");
        });
        PersonalAccessToken waiting = h.awaitPat("early", p -> readyReason(p, "OwnerNotFound"));
        assertThat(waiting.getStatus().getPhase().name()).isEqualTo("Pending");
        assertThat(ready(waiting).getMessage()).contains("ServiceAccount " + h.ns + "/late does not exist");
        // the ServiceAccount is likely seconds away: kstatus Reconciling, so Flux's health check waits for it
        assertThat(condition(waiting, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(waiting, "Reconciling").getReason()).isEqualTo("OwnerNotFound");
        assertThat(condition(waiting, "Stalled").getStatus()).isEqualTo("False");
        assertThat(h.secret("early")).isNull();
        assertThat(h.recordsOf(waiting)).isEmpty();

        String uid = createServiceAccount("late");
        PersonalAccessToken issued = h.awaitPat("early", p -> phaseIs(p, "Active"));
        assertThat(condition(issued, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(issued.getStatus().getOwnerUid()).isEqualTo(uid);
        assertThat(h.valueIn("early")).isNotNull();
    }

    @Test
    void aValueRotatedAwayOrRevokedAndPresentedAgainRaisesRevokedTokenUsed() throws Exception {
        h.create("app", s -> s.setTtl("30d"));
        String firstId = h.awaitPat("app", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        String leaked = h.valueIn("app");
        h.annotate("app", "kpat.dev/rotate", "leak");
        h.awaitPat("app", p -> phaseIs(p, "Active") && !firstId.equals(p.getStatus().getTokenId()));
        String current = h.valueIn("app");
        awaitIndexed(firstId, "ManualRotation");
        await().atMost(WAIT).until(() -> auth(current) == 200);

        for (int i = 0; i < 5; i++) {
            assertThat(auth(leaked)).isEqualTo(401);
        }
        await().atMost(WAIT).until(() -> h.hasEvent("app", "RevokedTokenUsed"));
        Event event = single(h.events("app"), "RevokedTokenUsed");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReportingComponent()).isEqualTo("kpat.dev/verifier");
        assertThat(event.getSource().getComponent()).isEqualTo("kpat-verifier");
        assertThat(event.getReportingInstance()).isNotBlank();
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(h.get("app").getMetadata().getUid());
        assertThat(event.getMessage()).contains(firstId).contains("ManualRotation").contains("127.0.0.1");
        assertThat(h.record(firstId).getStatus().getReuseDetectedAt()).isEqualTo(h.clock.instant().toString());
        assertThat(metric("kpat_verifier_revoked_token_used_total{reason=\"ManualRotation\"}")).isEqualTo(5.0);
        JsonObject line = auditLines().stream().filter(l -> "RevokedTokenUsed".equals(l.getString("signal")))
                .findFirst().orElseThrow();
        assertThat(line.getString("tokenId")).isEqualTo(firstId);
        assertThat(line.getString("client")).isEqualTo("127.0.0.1");
        assertThat(line.getString("revocationReason")).isEqualTo("ManualRotation");
        assertThat(new String(audit.toByteArray(), StandardCharsets.UTF_8).contains(leaked)).isFalse();
        // one Event a minute per record, however often it is tried; without revokeOnReuse the current value stays
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> count(h.events("app"), "RevokedTokenUsed") == 1);
        h.clock.advance(Duration.ofSeconds(61));
        assertThat(auth(leaked)).isEqualTo(401);
        await().atMost(WAIT).until(() -> count(h.events("app"), "RevokedTokenUsed") == 2);
        assertThat(h.events("app")).filteredOn(e -> "RevokedTokenUsed".equals(e.getReason()))
                .anySatisfy(e -> assertThat(e.getMessage()).contains("and 4 more times since the last Event"));
        assertThat(auth(current)).isEqualTo(200);
        assertThat(h.get("app").getStatus().getPhase().name()).isEqualTo("Active");

        // a value revoked with spec.revoked raises it too
        h.create("gone", s -> s.setTtl("30d"));
        String goneId = h.awaitPat("gone", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        String goneValue = h.valueIn("gone");
        h.editSpec("gone", s -> s.setRevoked(true));
        h.awaitPat("gone", p -> phaseIs(p, "Revoked"));
        await().atMost(WAIT).until(() -> auth(goneValue) == 401 && audited(goneId, "revoked"));
        await().atMost(WAIT).until(() -> h.hasEvent("gone", "RevokedTokenUsed"));
        assertThat(metric("kpat_verifier_revoked_token_used_total{reason=\"Revoked\"}")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void revokeOnReuseRevokesTheCurrentValueUntilTheUserRotates() throws Exception {
        h.create("guarded", s -> {
            s.setTtl("30d");
            RotationSpec rotation = new RotationSpec();
            rotation.setRevokeOnReuse(true);
            s.setRotation(rotation);
        });
        assertRevokedOnReuse("guarded");
    }

    @Test
    void aPolicyTurnsRevokeOnReuseOnForTheTokensItGoverns() throws Exception {
        TokenPolicy policy = new TokenPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("leak-response").withNamespace(h.ns).build());
        TokenPolicySpec spec = new TokenPolicySpec();
        spec.setRevokeOnReuse(true);
        policy.setSpec(spec);
        h.client.resource(policy).create();
        h.create("governed", s -> s.setTtl("30d"));
        assertRevokedOnReuse("governed");
    }

    /** Rotate after a leak, present the old value: the current one is revoked; a rotation starts over. */
    private void assertRevokedOnReuse(String name) throws Exception {
        String firstId = h.awaitPat(name, p -> phaseIs(p, "Active")).getStatus().getTokenId();
        String leaked = h.valueIn(name);
        h.annotate(name, "kpat.dev/rotate", "leak");
        String secondId = h.awaitPat(name, p -> phaseIs(p, "Active") && !firstId.equals(p.getStatus().getTokenId()))
                .getStatus().getTokenId();
        String current = h.valueIn(name);
        awaitIndexed(firstId, "ManualRotation");
        await().atMost(WAIT).until(() -> auth(current) == 200);

        assertThat(auth(leaked)).isEqualTo(401);
        PersonalAccessToken held = h.awaitPat(name, p -> readyReason(p, "RevokedOnReuse"));
        assertThat(held.getStatus().getPhase().name()).isEqualTo("Failed");
        assertThat(ready(held).getMessage()).contains(secondId).contains(firstId).contains("kpat.dev/rotate");
        TokenRecord second = h.record(secondId);
        assertThat(second.getSpec().getRevocationReason()).isEqualTo("ReuseDetected");
        await().atMost(WAIT).until(() -> auth(current) == 401);
        await().atMost(WAIT).until(() -> h.hasEvent(name, "RevokedOnReuse"));
        // the value revoked for the reuse is a leak response too: presenting it is signalled
        await().atMost(WAIT).until(() -> signals(name, secondId) == 1);
        // nothing is issued meanwhile
        h.poke(name);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> secondId.equals(h.get(name).getStatus().getTokenId()));
        assertThat(current.equals(h.valueIn(name))).isTrue();

        h.annotate(name, "kpat.dev/rotate", "investigated");
        String thirdId = h.awaitPat(name, p -> phaseIs(p, "Active") && !secondId.equals(p.getStatus().getTokenId()))
                .getStatus().getTokenId();
        String fresh = h.valueIn(name);
        await().atMost(WAIT).until(() -> auth(fresh) == 200);
        // the values that died before the user answered keep being tried: the new value stays
        h.clock.advance(Duration.ofSeconds(61));
        assertThat(auth(leaked)).isEqualTo(401);
        await().atMost(WAIT).until(() -> signals(name, firstId) == 2);
        h.poke(name);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> phaseIs(h.get(name), "Active") && thirdId.equals(h.get(name).getStatus().getTokenId()));
        assertThat(auth(fresh)).isEqualTo(200);
    }

    /** Until the verifier's index has the record revoked for that reason (the watch is asynchronous). */
    private void awaitIndexed(String tokenId, String revocationReason) {
        await().atMost(WAIT).until(() -> verifier.index().get(tokenId) != null
                && revocationReason.equals(verifier.index().get(tokenId).revocationReason()));
    }

    private String createServiceAccount(String name) {
        ServiceAccount sa = h.client.serviceAccounts().inNamespace(h.ns).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(name).withNamespace(h.ns).endMetadata().build()).create();
        return sa.getMetadata().getUid();
    }

    private int auth(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port() + "/v1/auth"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private double metric(String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port()
                + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(0.0);
    }

    private List<JsonObject> auditLines() {
        return Arrays.stream(new String(audit.toByteArray(), StandardCharsets.UTF_8).split("\n"))
                .filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    }

    private boolean audited(String tokenId, String reason) {
        return auditLines().stream().anyMatch(l -> tokenId.equals(l.getString("tokenId"))
                && reason.equals(l.getString("reason")));
    }

    private static Condition ready(PersonalAccessToken p) {
        return condition(p, "Ready");
    }

    private static Condition condition(PersonalAccessToken p, String type) {
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow();
    }

    private static boolean readyReason(PersonalAccessToken p, String reason) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && reason.equals(c.getReason()));
    }

    /** RevokedTokenUsed Events on the token about that value. */
    private long signals(String patName, String tokenId) {
        return h.events(patName).stream().filter(e -> "RevokedTokenUsed".equals(e.getReason())
                && e.getMessage().contains(tokenId + ",")).mapToLong(OwnerAndReuseOnRealServerTest::times).sum();
    }

    /** How often Events of {@code reason} were said: the same Event again is one object with a count. */
    private static long count(List<Event> events, String reason) {
        return events.stream().filter(e -> reason.equals(e.getReason())).mapToLong(OwnerAndReuseOnRealServerTest::times)
                .sum();
    }

    private static long times(Event e) {
        return e.getCount() == null ? 1 : e.getCount();
    }

    private static Event single(List<Event> events, String reason) {
        List<Event> matching = events.stream().filter(e -> reason.equals(e.getReason())).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
