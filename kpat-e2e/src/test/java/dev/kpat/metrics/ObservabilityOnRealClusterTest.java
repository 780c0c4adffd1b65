package dev.kpat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.helm.Chart;
import dev.kpat.helm.PromQl;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.Pats;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator and the verifier as the chart runs them, each a process with the chart's identity on a real control
 * plane: the operator with {@code --watch-namespaces} and {@code --log-format=json}, the verifier with its
 * forward-auth port and its metrics port apart. Every metric name the chart's alerts and dashboard read is one the two
 * really export ({@code /metrics} scraped after a token was issued, rotated and checked), every log line is JSON
 * with the token's namespace, name and id where the line is about a token, and the probes answer from real state.
 */
@ExtendWith(RealCluster.class)
class ObservabilityOnRealClusterTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KubernetesClient admin;
    private static OperatorProcesses processes;
    private static OperatorProcess operator;
    private static OperatorProcess verifier;
    private static String ns;
    private static String unwatched;
    private static String issuedId;
    private static String rotatedId;
    private static int verifierPort;
    private static int forwardAuthPort;
    /** Where the chart's alerts and dashboard read which metrics, from the chart as rendered with every feature on. */
    private static Map<String, Set<String>> referenced;

    @BeforeAll
    static void start(LocalControlPlane plane) throws IOException {
        // rendered first, as ChartRbac does, before any process runs
        referenced = metricsReadByTheChart();
        admin = plane.admin();
        ns = "kpat-obs-" + UUID.randomUUID().toString().substring(0, 6);
        unwatched = ns + "-other";
        processes = new OperatorProcesses(plane, ns, List.of("--no-leader-election", "--watch-namespaces=" + ns,
                "--log-format=json", "--log-level=debug"));
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(unwatched).endMetadata()
                .build()).serverSideApply();
        operator = processes.start("operator", "kpat-operator-0").awaitReady(START);

        Pats.create(admin, ns, "watched");
        Pats.create(admin, unwatched, "unwatched");
        await().atMost(Duration.ofSeconds(60)).until(() -> Pats.isActive(admin, ns, "watched"));
        issuedId = pat(ns, "watched").getStatus().getTokenId();
        // a rotation after a leak: a second value issued and the first revoked, so those counters exist too
        admin.resources(PersonalAccessToken.class).inNamespace(ns).withName("watched").edit(p -> {
            Map<String, String> annotations = new java.util.HashMap<>(p.getMetadata().getAnnotations() == null
                    ? Map.of() : p.getMetadata().getAnnotations());
            annotations.put(Labels.ROTATE_ANNOTATION, "leak-1");
            p.getMetadata().setAnnotations(annotations);
            return p;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> !issuedId.equals(pat(ns, "watched").getStatus().getTokenId())
                && Pats.isActive(admin, ns, "watched"));
        rotatedId = pat(ns, "watched").getStatus().getTokenId();

        verifierPort = freePort();
        forwardAuthPort = freePort();
        Path dir = Path.of("target", "operator-processes", ns);
        Path kubeconfig = Files.copy(ChartRbac.install(plane).verifierKubeconfig(), dir.resolve("verifier.kubeconfig"),
                StandardCopyOption.REPLACE_EXISTING);
        verifier = OperatorProcess.startVerifier("verifier", kubeconfig, dir.resolve("verifier.log"),
                List.of("--host=127.0.0.1", "--port=" + verifierPort, "--http-port=" + forwardAuthPort,
                        "--log-format=json")).awaitReady(START);
    }

    @AfterAll
    static void stop() {
        if (verifier != null) {
            verifier.close();
        }
        if (processes != null) {
            processes.close();
        }
        if (admin != null) {
            admin.namespaces().withName(unwatched).withTimeout(60, TimeUnit.SECONDS).delete();
        }
    }

    @Test
    void theOperatorReconcilesOnlyTheWatchedNamespace() throws IOException {
        // the watched token went through issue and rotation meanwhile; the other was never touched
        PersonalAccessToken other = pat(unwatched, "unwatched");
        assertThat(other.getStatus()).isNull();
        assertThat(other.getMetadata().getFinalizers()).isNullOrEmpty();
        assertThat(admin.secrets().inNamespace(unwatched).withName("unwatched").get()).isNull();
        assertThat(operator.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(operator.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(operator.forbiddenLines()).isEmpty();
    }

    @Test
    void theVerifierServesForwardAuthOverPlainHttpAndMetricsOnTheirOwnPort() throws Exception {
        String token = tokenOf(ns, "watched");
        HttpResponse<String> allowed = send(forwardAuthPort, "/v1/auth?scope=read", token);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
        assertThat(allowed.headers().firstValue("X-Auth-Token-Id")).hasValue(rotatedId);
        assertThat(send(forwardAuthPort, "/v1/auth", "kpat_notavalidtoken").statusCode()).isEqualTo(401);
        // the plain port is for forward-auth only: the webhooks and introspection stay where callers authenticate
        assertThat(send(forwardAuthPort, "/v1/tokenreviews", null).statusCode()).isEqualTo(404);
        assertThat(send(forwardAuthPort, "/v1/introspect", null).statusCode()).isEqualTo(404);
        assertThat(send(forwardAuthPort, "/metrics", null).statusCode()).isEqualTo(404);
        assertThat(send(verifierPort, "/metrics", null).statusCode()).as("metrics left the API port").isEqualTo(404);
        assertThat(send(verifierPort, "/v1/auth?scope=read", token).statusCode()).isEqualTo(200);
        assertThat(verifier.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(verifier.get("/metrics").body()).contains("kpat_verifier_ready 1.0")
                .contains("kpat_verifier_decisions_total{endpoint=\"auth\",outcome=\"active\"}");
        assertThat(verifier.forbiddenLines()).isEmpty();
    }

    @Test
    void theVerifierProcessAnswersChecksShapedAsEnvoysExtAuthzSendsThem() throws Exception {
        // examples/envoy/envoy.yaml: path_prefix /v1/auth + the original path and query, the original method, no
        // body, Content-Length 0, Envoy's own headers, the filter's X-Kpat-Scope
        String token = tokenOf(ns, "watched");
        HttpResponse<String> allowed = extAuthz("POST", "/v1/auth/api/tasks?x=1", token, "read");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
        assertThat(allowed.headers().firstValue("X-Auth-Request-Scopes")).hasValue("read");
        assertThat(allowed.headers().firstValue("X-Auth-Token-Id")).hasValue(rotatedId);
        assertThat(extAuthz("HEAD", "/v1/auth/", token, "read").statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = extAuthz("POST", "/v1/auth/api/tasks", token, "write:tasks");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
        HttpResponse<String> unknown = extAuthz("GET", "/v1/auth/api/tasks", "kpat_notavalidtoken", "read");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        assertThat(extAuthz("GET", "/v1/auth/api/tasks", null, "read").statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> extAuthz(String method, String path, String bearer, String scope)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forwardAuthPort + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("X-Kpat-Scope", scope)
                .header("x-envoy-expected-rq-timeout-ms", "500")
                .header("x-envoy-internal", "true")
                .header("x-request-id", UUID.randomUUID().toString())
                .header("x-forwarded-proto", "https");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardReadIsExported() throws IOException {
        send(forwardAuthPort, "/v1/auth?scope=read", tokenOf(ns, "watched"));
        Set<String> operatorNames = names(operator.get("/metrics").body());
        Set<String> verifierNames = names(verifier.get("/metrics").body());
        assertThat(operatorNames).contains("kpat_tokens", "kpat_token_values_issued_total",
                "kpat_token_values_revoked_total", "reconciliations_started_total", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage");
        assertThat(verifierNames).contains("kpat_verifier_request_duration_seconds_bucket", "jvm_memory_used_bytes");
        Set<String> exported = new TreeSet<>(operatorNames);
        exported.addAll(verifierNames);

        assertThat(referenced).hasSizeGreaterThan(25);
        referenced.forEach((where, names) -> assertThat(exported).as("metrics of %s", where).containsAll(names));
    }

    @Test
    void everyLogLineIsJsonAndTokenLinesCarryNamespaceNameAndId() throws IOException {
        List<JsonNode> operatorLines = jsonLines(operator);
        assertThat(operatorLines).allSatisfy(l -> assertThat(l.has("time") && l.has("level") && l.has("message"))
                .isTrue());
        JsonNode issued = only(operatorLines, l -> l.get("message").asText().startsWith("Issued " + ns + "/watched:"));
        assertThat(issued.path("namespace").asText()).isEqualTo(ns);
        assertThat(issued.path("name").asText()).isEqualTo("watched");
        assertThat(issued.path("tokenId").asText()).isEqualTo(issuedId);
        JsonNode rotated = only(operatorLines, l -> l.get("message").asText().startsWith("Rotated " + ns + "/watched:"));
        assertThat(rotated.path("tokenId").asText()).as("the new value's id").isEqualTo(rotatedId);

        // the verifier's own lines and its audit lines (one per decision, written in batches) alike
        send(forwardAuthPort, "/v1/auth?scope=read", tokenOf(ns, "watched"));
        await().atMost(Duration.ofSeconds(10)).until(() -> verifier.log().contains("\"decision\":\"allow\""));
        List<JsonNode> verifierLines = jsonLines(verifier);
        only(verifierLines, l -> l.path("message").asText().startsWith("verifier listening"));
        assertThat(verifierLines.stream().filter(l -> l.path("decision").asText().equals("allow"))
                .map(l -> l.path("tokenId").asText())).isNotEmpty().containsOnly(rotatedId);
    }

    /** The one line that {@code matches}; failing with a count, not with every line. */
    private static JsonNode only(List<JsonNode> lines, java.util.function.Predicate<JsonNode> matches) {
        List<JsonNode> found = lines.stream().filter(matches).toList();
        assertThat(found).as("matching lines among %d", lines.size()).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Set<String>> metricsReadByTheChart() throws IOException {
        List<JsonNode> chart = Chart.kpat().allFeatures().objects();
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (JsonNode rule : Chart.all(chart, "PrometheusRule")) {
            rule.at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> out.put("alert "
                    + r.get("alert").asText(), PromQl.metricNames(r.get("expr").asText()))));
        }
        JsonNode dashboard = JSON.readTree(Chart.one(chart, "ConfigMap", "-dashboard").at("/data/kpat.json").asText());
        dashboard.get("panels").forEach(p -> p.path("targets").forEach(t -> out.put("panel "
                + p.get("title").asText() + " " + t.get("refId").asText(), PromQl.metricNames(t.get("expr").asText()))));
        return out;
    }

    /** Each line of the process's output, parsed as JSON; a line that is not JSON fails the test (by number). */
    private static List<JsonNode> jsonLines(OperatorProcess process) {
        List<String> lines = process.log().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(process.name() + " logged nothing").isNotEmpty();
        List<JsonNode> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                parsed.add(JSON.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                fail(process.name() + " log line " + (i + 1) + " is not JSON: " + lines.get(i));
            }
        }
        return parsed;
    }

    /** The metric names of a Prometheus text exposition (samples, not comments). */
    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static PersonalAccessToken pat(String namespace, String name) {
        return admin.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name).get();
    }

    /** The token's current value, from its Secret; only ever compared or sent, never printed. */
    private static String tokenOf(String namespace, String name) {
        String data = admin.secrets().inNamespace(namespace).withName(name).get().getData().get(Labels.SECRET_KEY);
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(int port, String path, String bearer) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
