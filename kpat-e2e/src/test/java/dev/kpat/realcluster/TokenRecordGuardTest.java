package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import dev.kpat.token.TokenId;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.VerifierService;
import dev.kpat.verify.VerifierSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TokenRecords are login credentials (verifiers trust their spec.owner), so on the real API server only the chart's
 * operator ServiceAccount writes them and only the chart's verifier ServiceAccount writes their status, whatever
 * RBAC anyone else holds; system:masters stays the break-glass identity.
 */
@ExtendWith(RealCluster.class)
class TokenRecordGuardTest {
    private static final String DENIED = "ValidatingAdmissionPolicy 'kpat-tokenrecords' with binding "
            + "'kpat-tokenrecords' denied request: ";
    private static final String OPERATOR = "system:serviceaccount:kpat-system:kpat-operator";
    private static final String VERIFIER = "system:serviceaccount:kpat-system:kpat-verifier";
    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    /** Full rights on TokenRecords, bound to eve and (for the test only) to the verifier's ServiceAccount. */
    private static final String FULL_RIGHTS = "tokenrecords-full-" + SUFFIX;
    private static final TokenId IDS = new TokenId(new SecureRandom());
    private static LocalControlPlane plane;
    private static ChartRbac chart;
    private static Kubectl admin;

    @BeforeAll
    static void eveHoldsEveryRightOnTokenRecords(LocalControlPlane p) {
        plane = p;
        chart = ChartRbac.install(plane);
        admin = new Kubectl(plane, plane.adminKubeconfig());
        ok(admin.run("create", "clusterrole", FULL_RIGHTS, "--verb=*",
                "--resource=tokenrecords.kpat.dev,tokenrecords.kpat.dev/status"));
        ok(admin.run("create", "clusterrolebinding", FULL_RIGHTS, "--clusterrole=" + FULL_RIGHTS, "--user=eve",
                "--serviceaccount=" + ChartRbac.NAMESPACE + ":" + chart.verifierServiceAccount()));
    }

    @AfterAll
    static void removeRights() {
        admin.run("delete", "clusterrolebinding", FULL_RIGHTS);
        admin.run("delete", "clusterrole", FULL_RIGHTS);
    }

    private static void ok(Kubectl.Result r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    private static void assertDenied(Kubectl.Result r, String message) {
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(r.toString()).contains(DENIED + message);
    }

    /** A record as the operator writes it, for a token value only the test holds. */
    private static TokenRecord record(String id, String value) {
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(TokenHash.of(value));
        spec.setTokenRef(new TokenRef("guard-" + SUFFIX, "ci", "uid-" + id));
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setIssuedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        spec.setExpiresAt(Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(id).build());
        r.setSpec(spec);
        return r;
    }

    private static String manifest(String id, String owner) {
        return """
                apiVersion: kpat.dev/v1alpha1
                kind: TokenRecord
                metadata: {name: %s}
                spec: {hash: "sha256:%s", owner: %s, scopes: ["*"], issuedAt: "2026-11-24T12:00:00Z",
                       tokenRef: {namespace: guard, name: forged, uid: forged}}
                """.formatted(id, "0".repeat(64), owner);
    }

    private static String newId() {
        return IDS.next();
    }

    private static KubernetesClient client(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Test
    void fullRbacOnTokenRecordsIsNotEnoughToForgeOrEditOne() {
        Kubectl eve = new Kubectl(plane, plane.kubeconfigFor("eve", List.of()));
        String forged = newId();
        // the policy may be new to the API server when this class runs first: it loads within seconds
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertDenied(eve.runWithInput(manifest(forged, "cluster-admin"), "create", "-f", "-"),
                        "only the kpat operator (" + OPERATOR + ") may create TokenRecords, not eve: "
                                + "a TokenRecord is a login credential"));
        assertThat(eve.run("auth", "can-i", "create", "tokenrecords.kpat.dev").out().trim())
                .as("RBAC alone would let eve").isEqualTo("yes");

        String id = newId();
        try (KubernetesClient operator = chart.operatorClient()) {
            operator.resource(record(id, "not-a-real-token-value")).create();
            assertDenied(eve.run("patch", "tokenrecord", id, "--type=merge", "-p", "{\"spec\":{\"owner\":\"bob\"}}"),
                    "only the kpat operator (" + OPERATOR + ") may change TokenRecords, not eve");
            assertDenied(eve.run("patch", "tokenrecord", id, "--subresource=status", "--type=merge",
                    "-p", "{\"status\":{\"usageCount\":0}}"),
                    "only the kpat verifier (" + VERIFIER + ") may write the status of TokenRecords, not eve");
            assertDenied(eve.run("delete", "tokenrecord", id),
                    "only the kpat operator (" + OPERATOR + ") may delete TokenRecords, not eve");
            assertThat(plane.admin().resources(TokenRecord.class).withName(id).get().getSpec().getOwner())
                    .isEqualTo("alice");
            // the operator may change and delete what it wrote
            operator.resources(TokenRecord.class).withName(id).edit(r -> {
                r.getSpec().setRevokedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                return r;
            });
            operator.resources(TokenRecord.class).withName(id).delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> plane.admin().resources(TokenRecord.class).withName(id).get() == null);
        }
    }

    @Test
    void theVerifierRecordsUsageButCannotEditARecord() throws Exception {
        String value = new TokenFormat(TokenFormat.DEFAULT_PREFIX).generate().reveal();
        String id = newId();
        try (KubernetesClient operator = chart.operatorClient();
             KubernetesClient verifierClient = client(chart.verifierKubeconfig());
             VerifierService verifier = new VerifierService(verifierClient,
                     VerifierSettings.plain(0).withUsageFlushInterval(Duration.ofHours(1)), Clock.systemUTC(),
                     AuditLog.to(OutputStream.nullOutputStream())).start()) {
            operator.resource(record(id, value)).create();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest auth = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port() + "/v1/auth"))
                    .header("Authorization", "Bearer " + value).build();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    http.send(auth, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

            // the chart's verifier writes usage into status, through the policy, as it does every flush
            assertThat(verifier.flushUsage()).isEqualTo(1);
            assertThat(plane.admin().resources(TokenRecord.class).withName(id).get().getStatus().getUsageCount())
                    .isEqualTo(1L);

            // with every right RBAC can give on records, it still cannot touch what a record vouches for
            Kubectl asVerifier = new Kubectl(plane, chart.verifierKubeconfig());
            assertDenied(asVerifier.run("patch", "tokenrecord", id, "--type=merge",
                    "-p", "{\"spec\":{\"owner\":\"cluster-admin\"}}"),
                    "only the kpat operator (" + OPERATOR + ") may change TokenRecords, not " + VERIFIER);
            assertDenied(asVerifier.runWithInput(manifest(newId(), "alice"), "create", "-f", "-"),
                    "only the kpat operator (" + OPERATOR + ") may create TokenRecords, not " + VERIFIER);
        } finally {
            plane.admin().resources(TokenRecord.class).withName(id).delete();
        }
    }

    @Test
    void systemMastersIsTheBreakGlassIdentity() {
        // a record an administrator must remove in an incident (operator down, say): kubectl delete just works
        String id = newId();
        try (KubernetesClient operator = chart.operatorClient()) {
            operator.resource(record(id, "not-a-real-token-value")).create();
        }
        ok(admin.run("delete", "tokenrecord", id));
        // and the operator, run from an administrator's kubeconfig (local-cluster, demo), still writes records
        String byAdmin = newId();
        ok(admin.runWithInput(manifest(byAdmin, "alice"), "create", "-f", "-"));
        ok(admin.run("delete", "tokenrecord", byAdmin));
    }
}
