package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.LabelValues;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.TokenPolicy;
import dev.kpat.api.TokenPolicySpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.TokenSecrets;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.LeakScanner;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.TlsClients;
import dev.kpat.token.TokenFormat;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leak scan (issue 11): a token's whole life on the real API server, with the operator and the verifier as
 * processes (as the chart's ServiceAccounts, the jar's logging) and the verifier as the API server's TokenReview and
 * authorization webhook: issue; use through TokenReview, SubjectAccessReview (allowed and denied), introspection and
 * forward-auth, with mistyped values too; rotate after a leak and present the old value (RevokedTokenUsed); tamper
 * with the Secret; a policy block and its lifting; revoke; delete. Then every log line of both processes (audit lines
 * included) and of the API server, every Event, PAT, TokenRecord, Secret, ConfigMap and Lease around, every metric
 * sample of both, every HTTP answer and kubectl output is searched for each value any Secret held: the value, any 12
 * characters of its random part, its SHA-256 (8-digit prefix, any 16 digits) and its Base64. Nothing may appear
 * outside the token's own Secret, except the SHA-256 in its TokenRecord's {@code spec.hash}, which is what a
 * record is for.
 */
@ExtendWith(RealCluster.class)
class LeakScanTest {
    private static final String OWNER = "leak-owner";
    private static final String PAT = "leak-a";
    private static final String TLS_SECRET = "kpat-verifier-tls";
    private static final String CLIENTS_SECRET = "kpat-introspection-clients";
    private static final Duration START = Duration.ofSeconds(60);

    private final String ns = "kpat-leak-" + UUID.randomUUID().toString().substring(0, 6);
    private final String clientSecret = UUID.randomUUID().toString();
    private final LeakScanner scanner = new LeakScanner();
    /** Everything captured along the way, by source, scanned at the end. */
    private final Map<String, StringBuilder> captured = new LinkedHashMap<>();

    @Test
    void noValueNorAnythingDerivedLeavesItsSecret(LocalControlPlane plane) throws Exception {
        Instant started = Instant.now();
        KubernetesClient admin = plane.admin();
        ChartRbac chart = ChartRbac.install(plane);
        Path dir = Path.of("target", "leak-scan", ns);
        for (String name : List.of(TLS_SECRET, CLIENTS_SECRET)) {
            admin.secrets().inNamespace(ChartRbac.NAMESPACE).withName(name).delete();
        }
        admin.secrets().inNamespace(ChartRbac.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(CLIENTS_SECRET).endMetadata().addToStringData("leak-scan", clientSecret).build()).create();
        Path clientCa = Files.createDirectories(dir).resolve("client-ca.crt");
        Files.writeString(clientCa, plane.caPem());
        Path caBundle = dir.resolve("verifier-ca.crt");
        Files.deleteIfExists(caBundle);
        int port = freePort();
        try (OperatorProcesses processes = new OperatorProcesses(plane, ns, List.of());
             OperatorProcess verifier = OperatorProcess.startVerifier("leak-verifier", chart.verifierKubeconfig(),
                     dir.resolve("verifier.log"), List.of("--host=127.0.0.1", "--port=" + port,
                             "--ca-bundle-file=" + caBundle,
                             "--tls-self-managed-secret=" + ChartRbac.NAMESPACE + "/" + TLS_SECRET,
                             "--tls-dns-names=127.0.0.1", "--client-ca-file=" + clientCa,
                             "--client-cert-names=kube-apiserver",
                             "--introspection-clients-secret=" + ChartRbac.NAMESPACE + "/" + CLIENTS_SECRET,
                             "--usage-flush-interval=1s"))) {
            verifier.awaitReady(START);
            phase("verifier started", started);
            String base = "https://127.0.0.1:" + port;
            HttpClient https = TlsClients.trusting(Files.readString(caBundle), null);
            plane.reconfigure(URI.create(base + "/v1/tokenreviews"), URI.create(base + "/v1/subjectaccessreviews"),
                    caBundle);
            phase("API server restarted with the webhooks", started);
            // started on the restarted API server: one starting its informers during the restart stops (by design)
            OperatorProcess operator = processes.start("leak-operator", "kpat-leak-scan").awaitReady(START);
            phase("operator ready", started);
            try {
                lifecycle(plane, admin, https, base);
                phase("lifecycle done", started);
                capture("operator /metrics", operator.get("/metrics").body());
                capture("verifier /metrics", verifier.get("/metrics").body());
                captureObjects(admin, "at the end");
                // SIGTERM both before the API server restarts: their logs end as a user's would
                operator.stop();
                verifier.stop(); // flushes its last usage and audit lines
                phase("processes stopped", started);
            } finally {
                plane.reconfigure(null, null, null);
                phase("API server restarted without them", started);
            }
            capture("verifier log and audit lines", verifier.log());
            capture("operator log", operator.log());
            // the SubjectAccessReview endpoint decides no token, so it writes no audit line
            assertThat(verifier.log()).as("the verifier's audit lines were captured")
                    .contains("\"endpoint\":\"tokenreview\"").contains("\"endpoint\":\"introspect\"")
                    .contains("\"endpoint\":\"auth\"").contains("\"signal\":\"RevokedTokenUsed\"");
        } finally {
            for (String name : List.of(TLS_SECRET, CLIENTS_SECRET)) {
                admin.secrets().inNamespace(ChartRbac.NAMESPACE).withName(name).delete();
            }
        }

        List<String> findings = new ArrayList<>();
        captured.forEach((source, text) -> findings.addAll(scanner.scan(source, text.toString(), true)));
        findings.addAll(scanner.scan("kube-apiserver log", apiServerLog(plane), false));
        long chars = scanner.scannedChars();
        System.out.printf("leak scan: %d values, %d sources, %,d characters scanned, %d findings%n",
                scanner.values(), captured.size() + 1, chars, findings.size());
        assertThat(findings).as("token values or what is derived from them, outside their Secret").isEmpty();
    }

    /** The token's life; every value any Secret held goes to the scanner, every answer to the captured text. */
    private void lifecycle(LocalControlPlane plane, KubernetesClient admin, HttpClient https, String base)
            throws Exception {
        admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("leak-probe")
                .endMetadata().build()).create();
        admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("cm-editor")
                .endMetadata().addNewRule().withApiGroups("").withResources("configmaps")
                .withVerbs("get", "list", "delete").endRule().build()).create();
        admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("owner-edits").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "cm-editor")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(OWNER)
                .endSubject().build()).create();
        Kubectl withToken = new Kubectl(plane, plane.kubeconfigWithoutCredentials());

        // issue
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(PAT).withNamespace(ns).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(OWNER);
        spec.setScopes(List.of("read"));
        spec.setTtl("1h");
        pat.setSpec(spec);
        admin.resource(pat).create();
        String first = awaitValue(admin, v -> true);

        // use, through the API server (TokenReview, SubjectAccessReview) and the verifier's own endpoints
        String mistyped = mistype(first);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(kubectl(withToken, "get configmaps",
                first, "--token", first, "get", "configmaps", "-n", ns).ok()).isTrue());
        Kubectl.Result denied = kubectl(withToken, "delete (denied by scope)", first, "--token", first, "delete",
                "configmap", "leak-probe", "-n", ns);
        assertThat(denied.err()).contains("token scopes [read] do not allow delete on configmaps");
        assertThat(kubectl(withToken, "whoami", first, "--token", first, "auth", "whoami").ok()).isTrue();
        assertThat(kubectl(withToken, "mistyped", first, "--token", mistyped, "get", "configmaps", "-n", ns).err())
                .contains("Unauthorized");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("leak-scan:" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(introspect(https, base, basic, first).body()).contains("\"active\":true");
        assertThat(introspect(https, base, basic, mistyped).body()).isEqualTo("{\"active\":false}");
        assertThat(forwardAuth(https, base, first, "read").statusCode()).isEqualTo(200);
        assertThat(forwardAuth(https, base, first, "write").statusCode()).isEqualTo(403);
        assertThat(forwardAuth(https, base, mistyped, "read").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            PersonalAccessToken p = pat(admin);
            return p.getStatus() != null && p.getStatus().getLastUsedAt() != null;
        });
        captureObjects(admin, "after use");

        // rotate after a leak, then present the old value: RevokedTokenUsed
        admin.resources(PersonalAccessToken.class).inNamespace(ns).withName(PAT).edit(p -> {
            p.getMetadata().getAnnotations().put(Labels.ROTATE_ANNOTATION, Instant.now().toString());
            return p;
        });
        String rotated = awaitValue(admin, v -> !v.equals(first));
        assertThat(forwardAuth(https, base, first, "read").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.v1().events().inNamespace(ns).list().getItems()
                .stream().anyMatch(e -> "RevokedTokenUsed".equals(e.getReason())));
        assertThat(forwardAuth(https, base, rotated, "read").statusCode()).isEqualTo(200);

        // tamper with the Secret: another well-formed value written by someone else
        String tampered = new TokenFormat("kpat_").generate().reveal();
        scanner.add(tampered);
        admin.secrets().inNamespace(ns).withName(PAT).edit(s -> new SecretBuilder(s).withData(Map.of(
                Labels.SECRET_KEY, Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8))))
                .build());
        String reissued = awaitValue(admin, v -> !v.equals(rotated) && !v.equals(tampered));
        assertThat(forwardAuth(https, base, tampered, "read").statusCode()).isEqualTo(401);
        assertThat(forwardAuth(https, base, rotated, "read").statusCode()).isEqualTo(401);

        // a policy blocks it, and lifting the policy unblocks the same value
        TokenPolicy policy = new TokenPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("no-reads").withNamespace(ns).build());
        TokenPolicySpec policySpec = new TokenPolicySpec();
        policySpec.setDeniedScopes(List.of("read"));
        policy.setSpec(policySpec);
        admin.resource(policy).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> forwardAuth(https, base, reissued, "read").statusCode()
                == 401);
        captureObjects(admin, "while blocked");
        admin.resource(policy).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> forwardAuth(https, base, reissued, "read").statusCode()
                == 200);

        // revoke, then delete
        admin.resources(PersonalAccessToken.class).inNamespace(ns).withName(PAT).edit(p -> {
            p.getSpec().setRevoked(true);
            return p;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> forwardAuth(https, base, reissued, "read").statusCode()
                == 401);
        assertThat(introspect(https, base, basic, reissued).body()).isEqualTo("{\"active\":false}");
        captureObjects(admin, "after revocation");
        admin.resources(PersonalAccessToken.class).inNamespace(ns).withName(PAT).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> pat(admin) == null);
    }

    /** Waits for the PAT's Secret to hold a value {@code fresh} accepts; registers it with the scanner. */
    private String awaitValue(KubernetesClient admin, Predicate<String> fresh) {
        String[] value = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Secret s = admin.secrets().inNamespace(ns).withName(PAT).get();
            PersonalAccessToken p = pat(admin);
            if (s == null || p == null || p.getStatus() == null || !"Active".equals(String.valueOf(
                    p.getStatus().getPhase()))) {
                return false;
            }
            String v = TokenSecrets.valueOf(s).reveal();
            if (!fresh.test(v) || !Objects.equals(TokenSecrets.tokenIdOf(s), p.getStatus().getTokenId())) {
                return false;
            }
            value[0] = v;
            return true;
        });
        // the canary: the scanner finds the value where it is meant to be, in its Secret
        scanner.add(value[0]);
        assertThat(scanner.scan("the token's own Secret", Serialization.asYaml(admin.secrets().inNamespace(ns)
                .withName(PAT).get()), true)).as("the scanner finds a value in its own Secret").isNotEmpty();
        return value[0];
    }

    private PersonalAccessToken pat(KubernetesClient admin) {
        return admin.resources(PersonalAccessToken.class).inNamespace(ns).withName(PAT).get();
    }

    private Kubectl.Result kubectl(Kubectl kubectl, String what, String value, String... args) {
        Kubectl.Result r = kubectl.run(args);
        capture("kubectl " + what, r.out() + "\n" + r.err());
        return r;
    }

    private HttpResponse<String> introspect(HttpClient https, String base, String basic, String value)
            throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/introspect"))
                .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        capture("introspection answers", r.statusCode() + " " + r.headers().map() + " " + r.body());
        return r;
    }

    private HttpResponse<String> forwardAuth(HttpClient https, String base, String value, String scope)
            throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth?scope=" + scope))
                .header("Authorization", "Bearer " + value).build(), HttpResponse.BodyHandlers.ofString());
        capture("forward-auth answers", r.statusCode() + " " + r.headers().map() + " " + r.body());
        return r;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Events, PATs, TokenRecords (without {@code spec.hash}), Secrets other than the token's own, ConfigMaps,
     * Leases and policies in the token's namespace and the chart's.
     */
    private void captureObjects(KubernetesClient admin, String when) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String namespace : List.of(ns, ChartRbac.NAMESPACE)) {
            objects.addAll(admin.v1().events().inNamespace(namespace).list().getItems());
            objects.addAll(admin.events().v1().events().inNamespace(namespace).list().getItems());
            objects.addAll(admin.configMaps().inNamespace(namespace).list().getItems());
            objects.addAll(admin.leases().inNamespace(namespace).list().getItems());
            objects.addAll(admin.resources(PersonalAccessToken.class).inNamespace(namespace).list().getItems());
            objects.addAll(admin.resources(TokenPolicy.class).inNamespace(namespace).list().getItems());
            admin.secrets().inNamespace(namespace).list().getItems().stream()
                    .filter(s -> !(namespace.equals(ns) && s.getMetadata().getName().equals(PAT)))
                    .forEach(objects::add);
        }
        for (TokenRecord r : admin.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE,
                LabelValues.of(ns)).list().getItems()) {
            r.getSpec().setHash(null); // the one place the hash belongs
            objects.add(r);
        }
        capture("API objects " + when, Serialization.asYaml(objects));
    }

    private static void phase(String what, Instant since) {
        System.out.printf("leak scan: %s after %d ms%n", what, Duration.between(since, Instant.now()).toMillis());
    }

    private void capture(String source, String text) {
        captured.computeIfAbsent(source, k -> new StringBuilder()).append(text).append('\n');
    }

    private static String mistype(String value) {
        int at = value.length() / 2;
        return value.substring(0, at) + (value.charAt(at) == 'a' ? 'b' : 'a') + value.substring(at + 1);
    }

    private static String apiServerLog(LocalControlPlane plane) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var logs = Files.list(plane.dataDir().resolve("logs"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("kube-apiserver")).toList()) {
                all.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }
}
