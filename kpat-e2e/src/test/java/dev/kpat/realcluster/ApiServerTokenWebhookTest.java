package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.UserExtra;
import dev.kpat.localcluster.ControlPlaneOptions;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.TokenSecrets;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The verifier as the real kube-apiserver's TokenReview webhook, over HTTPS with its self-managed CA: the real
 * kubectl presents a PAT with {@code --token}, the API server asks the verifier, and RBAC applies to the token's
 * owner. Revocation and expiry reach the API server within its webhook cache TTL.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerTokenWebhookTest {
    /** How long the API server may keep accepting a value the verifier already refuses (both its caches). */
    private static final Duration CACHE_TTL = max(ControlPlaneOptions.DEFAULT_WEBHOOK_CACHE_TTL,
            ControlPlaneOptions.APISERVER_TOKEN_SUCCESS_CACHE_TTL);
    /** Operator reconcile, the verifier's watch and one kubectl run on a busy 2-core machine. */
    private static final Duration REFUSAL_MARGIN = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String ns = "kpat-webhook-" + suffix;
    private final String otherNs = "kpat-webhook-other-" + suffix;
    private LocalControlPlane plane;
    private KubernetesClient client;
    private WebhookVerifier webhooks;
    private Kubectl withToken;

    @BeforeAll
    void start(LocalControlPlane plane) throws Exception {
        this.plane = plane;
        client = plane.clientFor("kpat-webhook-test", "system:masters");
        for (String name : List.of(ns, otherNs)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                    .build()).create();
        }
        webhooks = WebhookVerifier.authenticating(plane, client, ns, List.of("localhost", "127.0.0.1"));
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
            client.namespaces().withName(otherNs).delete();
        } finally {
            if (webhooks != null) {
                webhooks.close();
            }
            client.close();
        }
    }

    @Test
    void verifierCertificateNamesWhatTheApiServerDials() throws Exception {
        String chain = new String(Base64.getDecoder().decode(client.secrets().inNamespace(ns)
                .withName("kpat-verifier-tls").get().getData().get("tls.crt")), StandardCharsets.UTF_8);
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.UTF_8)));
        List<String> sans = leaf.getSubjectAlternativeNames().stream()
                .map(san -> (san.get(0).equals(7) ? "IP:" : "DNS:") + san.get(1)).toList();
        assertThat(sans).containsExactly("DNS:localhost", "IP:127.0.0.1");
    }

    @Test
    void kubectlWithAPatActsAsItsOwnerWithTheVerifiersGroups() throws Exception {
        String value = issue("alice-whoami", "alice", "1h");
        JsonNode user = whoami(value);
        assertThat(user.get("username").asText()).isEqualTo("alice");
        assertThat(user.get("uid").asText()).isEqualTo(pat("alice-whoami").getStatus().getTokenId());
        assertThat(texts(user.get("groups"))).containsExactlyInAnyOrder("kpat:authenticated", "system:authenticated");
        assertThat(texts(user.get("extra").get("kpat.dev/scopes"))).containsExactly("read");

        String sa = "system:serviceaccount:" + ns + ":deployer";
        // a ServiceAccount's token is bound to it by uid: it waits until the ServiceAccount exists
        client.serviceAccounts().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("deployer").endMetadata().build()).create();
        JsonNode robot = whoami(issue("deployer-whoami", sa, "1h"));
        assertThat(robot.get("username").asText()).isEqualTo(sa);
        assertThat(texts(robot.get("groups"))).containsExactlyInAnyOrder("kpat:authenticated",
                "system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated");
    }

    @Test
    void rbacOfTheOwnerAppliesToTheToken() {
        client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("pod-reader")
                .endMetadata().addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list")
                .endRule().build()).create();
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("alice-reads-pods").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "pod-reader")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice")
                .endSubject().build()).create();
        String value = issue("alice-rbac", "alice", "1h");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Kubectl.Result allowed = withToken.run("--token", value, "get", "pods", "-n", ns);
            assertThat(allowed.ok()).as(redact(allowed, value)).isTrue();
        });
        Kubectl.Result denied = withToken.run("--token", value, "get", "pods", "-n", otherNs);
        assertThat(denied.ok()).isFalse();
        assertThat(denied.err()).as(redact(denied, value))
                .contains("User \"alice\" cannot list resource \"pods\"").contains("in the namespace \"" + otherNs);
    }

    /** The verifier's extra reaches admission: a read PAT cannot mint a successor, though its owner may. */
    @Test
    void aReadPatCannotMintATokenThroughTheApiServer() {
        client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("pat-creator")
                .endMetadata().addNewRule().withApiGroups("kpat.dev").withResources("personalaccesstokens")
                .withVerbs("create").endRule().build()).create();
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("alice-creates-pats").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "pat-creator")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice")
                .endSubject().build()).create();
        String value = issue("alice-minter", "alice", "1h");
        var status = pat("alice-minter").getStatus();
        JsonNode user = whoami(value);
        assertThat(texts(user.get("extra").get(UserExtra.EXPIRES_AT))).containsExactly(
                Instant.parse(status.getExpiresAt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());

        String successor = """
                apiVersion: kpat.dev/v1alpha1
                kind: PersonalAccessToken
                metadata: {name: successor, namespace: %s}
                spec: {owner: alice, scopes: ["*"], ttl: 8760h}
                """.formatted(ns);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Kubectl.Result r = withToken.runWithInput(successor, "--token", value, "create", "-f", "-");
            assertThat(r.ok()).as(redact(r, value)).isFalse();
            assertThat(r.err()).as(redact(r, value)).contains("a kpat token may create or change "
                    + "PersonalAccessTokens only with the admin:tokens scope; this one (" + status.getTokenId()
                    + ") has read");
        });
        assertThat(pat("successor")).isNull();
    }

    @Test
    void revokedTokenIsRefusedWithinTheWebhookCacheTtl() {
        String value = issue("alice-revoked", "alice", "1h");
        assertThat(whoami(value).get("username").asText()).isEqualTo("alice"); // the API server caches this answer
        Instant revoked = Instant.now();
        // as kubectl patch sends it: no resourceVersion, so the operator's status writes cannot make it conflict
        client.resources(PersonalAccessToken.class).inNamespace(ns).withName("alice-revoked")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"revoked\":true}}");
        Duration delay = untilUnauthorized(value, revoked);
        System.out.printf("revoked PAT refused by the API server %d ms after the revocation write%n",
                delay.toMillis());
        assertThat(delay).isLessThanOrEqualTo(CACHE_TTL.plus(REFUSAL_MARGIN));
    }

    @Test
    void expiredTokenIsRefusedWithinTheWebhookCacheTtl() {
        String value = issue("alice-expiring", "alice", "10s");
        Instant expiresAt = Instant.parse(pat("alice-expiring").getStatus().getExpiresAt());
        // keep the API server's cache warm up to the expiry, the worst case for how long a value outlives it
        while (Instant.now().isBefore(expiresAt.minusMillis(1500))) {
            Kubectl.Result r = withToken.run("--token", value, "auth", "whoami");
            assertThat(r.ok()).as("before expiry: " + redact(r, value)).isTrue();
        }
        Duration delay = untilUnauthorized(value, expiresAt);
        System.out.printf("expired PAT refused by the API server %d ms after expiresAt%n", delay.toMillis());
        assertThat(delay).isLessThanOrEqualTo(CACHE_TTL.plus(REFUSAL_MARGIN));
    }

    @Test
    void junkAndMistypedTokensAreUnauthorized() {
        String value = issue("alice-typo", "alice", "1h");
        String mistyped = value.substring(0, 10) + (value.charAt(10) == 'a' ? 'b' : 'a') + value.substring(11);
        String wellFormedUnknown = "kpat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA23TDGF";
        for (String junk : List.of(mistyped, wellFormedUnknown, "kpat_nonsense")) {
            Kubectl.Result r = withToken.run("--token", junk, "auth", "whoami");
            assertThat(r.ok()).isFalse();
            assertThat(r.err()).as(redact(r, value, mistyped)).contains("Unauthorized");
        }
    }

    /**
     * The verifier sees one client, the API server, for everyone's tokens: a flood of bad tokens from one client of
     * the API server must neither stall it nor lock other users out (throttled, it retries each review with backoff).
     */
    @Test
    void badTokensFromOneClientDoNotLockOutOthers() throws Exception {
        String value = issue("alice-flood", "alice", "1h");
        // HTTP/1.1: the API server ends an HTTP/2 connection after an unauthenticated request (GOAWAY)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(plane.caPem())).build();
        Instant start = Instant.now();
        for (int i = 0; i < 60; i++) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(plane.url() + "/api"))
                    .header("Authorization", "Bearer kpat_junk" + i).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(whoami(value).get("username").asText()).isEqualTo("alice");
        Duration took = Duration.between(start, Instant.now());
        System.out.printf("60 bad tokens refused and a good one accepted in %d ms%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** Runs kubectl auth whoami until the API server refuses {@code value}; the time from {@code since}. */
    private Duration untilUnauthorized(String value, Instant since) {
        Instant deadline = since.plus(CACHE_TTL).plus(REFUSAL_MARGIN).plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Kubectl.Result r = withToken.run("--token", value, "auth", "whoami");
            if (!r.ok()) {
                Instant refused = Instant.now();
                assertThat(r.err()).as(redact(r, value)).contains("Unauthorized");
                return Duration.between(since, refused);
            }
        }
        throw new AssertionError("the API server still accepted the token 10 s past its cache TTL");
    }

    /** The owner as kubectl auth whoami reports it. */
    private JsonNode whoami(String value) {
        Kubectl.Result r = withToken.run("--token", value, "auth", "whoami", "-o", "json");
        assertThat(r.ok()).as(redact(r, value)).isTrue();
        try {
            return JSON.readTree(r.out()).get("status").get("userInfo");
        } catch (Exception e) {
            throw new AssertionError("kubectl auth whoami printed no JSON: " + redact(r, value));
        }
    }

    /** Creates a PAT as an administrator and returns its value, read from the Secret (never printed). */
    private String issue(String name, String owner, String ttl) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(owner);
        spec.setScopes(List.of("read"));
        spec.setTtl(ttl);
        pat.setSpec(spec);
        client.resource(pat).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PersonalAccessToken p = pat(name);
            return p.getStatus() != null && p.getStatus().getPhase() == Phase.Active;
        });
        return TokenSecrets.valueOf(client.secrets().inNamespace(ns).withName(name).get()).reveal();
    }

    private PersonalAccessToken pat(String name) {
        return client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name).get();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** What kubectl printed, with the tokens replaced, for assertion messages. */
    private static String redact(Kubectl.Result r, String... values) {
        String text = r.toString();
        for (String v : values) {
            text = text.replace(v, "<token>");
        }
        return text;
    }
}
