package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.testing.MutableClock;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/subjectaccessreviews} over real HTTP, with the review bodies kube-apiserver sends. */
class SubjectAccessReviewEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private VerifierServer server;

    @BeforeEach
    void start() throws Exception {
        // a failure limit of 1: reviews must never be throttled, however many are denied
        server = new VerifierServer(new TokenVerifier(new TokenIndex(), new MutableClock(Instant.EPOCH)),
                new UsageTracker(), AuditLog.to(java.io.OutputStream.nullOutputStream()),
                new ClientAddress(List.of()), new FailureLimits(60, 1, java.time.Clock.systemUTC()),
                ApiServerCallers.anyone(), IntrospectionCallers.none(), registry, () -> true,
                new MutableClock(Instant.EPOCH)).start(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void patRequestOutsideItsScopesIsDeniedNamingTheMissingScope() throws Exception {
        for (String version : List.of("v1", "v1beta1")) {
            JsonObject answer = review(version, patUser("read"), resource("delete", "", "pods", "team-a"));
            assertThat(answer.getString("apiVersion")).isEqualTo("authorization.k8s.io/" + version);
            assertThat(answer.getString("kind")).isEqualTo("SubjectAccessReview");
            assertThat(answer.getJsonObject("status")).isEqualTo(new JsonObject().put("allowed", false)
                    .put("denied", true)
                    .put("reason", "token scopes [read] do not allow delete on pods (needs write or write:pods)"));
        }
    }

    @Test
    void patRequestInsideItsScopesIsLeftToRbac() throws Exception {
        JsonObject answer = review("v1", patUser("read", "write:configmaps"),
                resource("patch", "", "configmaps", "team-a"));
        assertThat(answer.getJsonObject("status")).isEqualTo(new JsonObject().put("allowed", false));
        JsonObject url = review("v1", patUser("read"), new JsonObject().put("nonResourceAttributes",
                new JsonObject().put("verb", "get").put("path", "/metrics")));
        assertThat(url.getJsonObject("status")).isEqualTo(new JsonObject().put("allowed", false));
    }

    @Test
    void usersNotAuthenticatedByAPatAreLeftToRbacWhateverTheyAsk() throws Exception {
        JsonObject serviceAccount = new JsonObject().put("user", "system:serviceaccount:ci:deployer")
                .put("groups", new JsonArray().add("system:serviceaccounts"))
                .put("extra", new JsonObject().put("authentication.kubernetes.io/pod-name", new JsonArray().add("p")));
        for (JsonObject user : List.of(serviceAccount, new JsonObject().put("user", "bob"))) {
            JsonObject answer = review("v1", user, resource("impersonate", "", "users", ""));
            assertThat(answer.getJsonObject("status")).isEqualTo(new JsonObject().put("allowed", false));
        }
        assertThat(registry.scrape())
                .contains("kpat_verifier_subjectaccessreviews_total{answer=\"no-opinion-other\"} 2.0");
    }

    @Test
    void aPatUserWithoutReadableScopesIsDeniedEverything() throws Exception {
        JsonObject idOnly = new JsonObject().put("user", "alice").put("extra", new JsonObject()
                .put("kpat.dev/token-id", new JsonArray().add("tok-1")));
        JsonObject junkScopes = patUser("READ", "read:pods:x");
        for (JsonObject user : List.of(idOnly, junkScopes)) {
            JsonObject status = review("v1", user, resource("get", "", "pods", "team-a")).getJsonObject("status");
            assertThat(status.getBoolean("denied")).isTrue();
            assertThat(status.getString("reason")).endsWith("do not allow get on pods (needs read or read:pods)");
        }
    }

    @Test
    void manyDenialsFromOneCallerAreNeverThrottled() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(review("v1", patUser("read"), resource("delete", "", "pods", "x")).getJsonObject("status")
                    .getBoolean("denied")).isTrue();
        }
        assertThat(registry.scrape()).contains("kpat_verifier_subjectaccessreviews_total{answer=\"denied\"} 5.0");
    }

    @Test
    void badInputGetsAShortError() throws Exception {
        assertThat(post("text/plain", "{}").statusCode()).isEqualTo(415);
        assertThat(post("application/json", "nonsense").statusCode()).isEqualTo(400);
        var wrongKind = post("application/json", new JsonObject().put("apiVersion", "authorization.k8s.io/v1")
                .put("kind", "TokenReview").put("spec", new JsonObject()).encode());
        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(wrongKind.body()).contains("expected a SubjectAccessReview");
        assertThat(post("application/json", new JsonObject().put("apiVersion", "authorization.k8s.io/v1")
                .put("kind", "SubjectAccessReview").encode()).statusCode()).isEqualTo(400);
    }

    private static JsonObject patUser(String... scopes) {
        JsonArray list = new JsonArray();
        for (String s : scopes) {
            list.add(s);
        }
        return new JsonObject().put("user", "alice").put("uid", "tok-1")
                .put("groups", new JsonArray().add("kpat:authenticated").add("system:authenticated"))
                .put("extra", new JsonObject().put("kpat.dev/token-id", new JsonArray().add("tok-1"))
                        .put("kpat.dev/scopes", list));
    }

    private static JsonObject resource(String verb, String group, String resource, String namespace) {
        return new JsonObject().put("resourceAttributes", new JsonObject().put("namespace", namespace)
                .put("verb", verb).put("group", group).put("version", "v1").put("resource", resource));
    }

    private JsonObject review(String version, JsonObject user, JsonObject attributes) throws Exception {
        JsonObject spec = user.copy().mergeIn(attributes);
        HttpResponse<String> r = post("application/json", new JsonObject()
                .put("apiVersion", "authorization.k8s.io/" + version).put("kind", "SubjectAccessReview")
                .put("spec", spec).encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/subjectaccessreviews")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
