package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.UserExtra;
import dev.kpat.testing.MutableClock;
import dev.kpat.testing.RawHttp;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint and every kind of bad input, over real HTTP. */
class VerifierServerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final TokenIndex index = new TokenIndex();
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private static final String CLIENT_SECRET = "rs-secret-for-tests";
    private final HttpClient http = HttpClient.newHttpClient();
    private VerifierServer server;
    private String active;
    private String revoked;
    private String sa;

    @BeforeEach
    void start() throws Exception {
        var a = Records.issue("tok-active", List.of("read", "write:tasks"), s -> { });
        var r = Records.issue("tok-revoked", List.of("read"), s -> s.setRevokedAt("2026-11-24T11:00:00Z"));
        var s = Records.issue("tok-sa", List.of("read"), spec -> spec.setOwner("system:serviceaccount:ci:deployer"));
        index.upsert(a.record());
        index.upsert(r.record());
        index.upsert(s.record());
        active = a.value();
        revoked = r.value();
        sa = s.value();
        server = new VerifierServer(new TokenVerifier(index, clock), new UsageTracker(),
                AuditLog.to(java.io.OutputStream.nullOutputStream()), new ClientAddress(List.of("127.0.0.1/32")), new FailureLimits(60, 5, java.time.Clock.systemUTC()),
                ApiServerCallers.anyone(),
                new IntrospectionCallers((id, secret) -> id.equals("rs") && secret.equals(CLIENT_SECRET), null),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ready::get, clock)
                .start(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).as("no response carries a token").doesNotContainPattern("kpat_[0-9A-Za-z]{38}")
                .doesNotContain("Exception").doesNotContain("\tat ");
        return response;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    /** Introspection as the registered client "rs" (HTTP Basic). */
    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = request(path).header("Content-Type", contentType);
        if (path.equals("/v1/introspect")) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("rs:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private int client;

    /** A forward-auth request from a client of its own, so failures in one check do not rate-limit the next. */
    private HttpResponse<String> auth(String path, String token) throws Exception {
        return auth(path, token, "192.0.2." + (++client));
    }

    private HttpResponse<String> auth(String path, String token, String forwardedFor) throws Exception {
        HttpRequest.Builder b = request(path);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return send(b.GET());
    }

    @Test
    void introspectionFollowsRfc7662() throws Exception {
        var form = post("/v1/introspect", "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(active, StandardCharsets.UTF_8));
        assertThat(form.statusCode()).isEqualTo(200);
        JsonObject json = new JsonObject(form.body());
        assertThat(json.getBoolean("active")).isTrue();
        assertThat(json.getString("sub")).isEqualTo("alice");
        assertThat(json.getString("username")).isEqualTo("alice");
        assertThat(json.getString("scope")).isEqualTo("read write:tasks");
        assertThat(json.getLong("exp")).isEqualTo(Instant.parse("2026-12-24T12:00:00Z").getEpochSecond());
        assertThat(json.getLong("iat")).isEqualTo(Instant.parse("2026-11-24T12:00:00Z").getEpochSecond());
        assertThat(json.getString("jti")).isEqualTo("tok-active");
        assertThat(json.getString("token_type")).isEqualTo("personal_access_token");
        assertThat(json.getString("namespace")).isEqualTo("team-a");
        assertThat(json.getString("name")).isEqualTo("ci");

        var viaJson = post("/v1/introspect", "application/json; charset=utf-8",
                new JsonObject().put("token", active).encode());
        assertThat(new JsonObject(viaJson.body()).getBoolean("active")).isTrue();
        for (String dead : List.of(revoked, Records.FORMAT.generate().reveal(), "nonsense")) {
            var r = post("/v1/introspect", "application/json", new JsonObject().put("token", dead).encode());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"active\":false}");
        }
    }

    @Test
    void introspectionBadInput() throws Exception {
        assertThat(post("/v1/introspect", "text/plain", "token=x").statusCode()).isEqualTo(415);
        var invalid = post("/v1/introspect", "application/json", "{not json");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"error\":\"body is not a JSON object\"}");
        assertThat(post("/v1/introspect", "application/json", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(post("/v1/introspect", "application/json", "{}").body()).isEqualTo("{\"error\":\"missing token\"}");
        var big = post("/v1/introspect", "application/json",
                "{\"token\":\"" + "a".repeat(VerifierServer.MAX_BODY_BYTES) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(send(request("/v1/introspect").GET()).statusCode()).isEqualTo(405);
        assertThat(send(request("/nope").GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void tokenReviewWebhook() throws Exception {
        for (String version : List.of("authentication.k8s.io/v1", "authentication.k8s.io/v1beta1")) {
            var r = post("/v1/tokenreviews", "application/json", review(version, sa));
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getString("apiVersion")).isEqualTo(version);
            assertThat(body.getString("kind")).isEqualTo("TokenReview");
            JsonObject status = body.getJsonObject("status");
            assertThat(status.getBoolean("authenticated")).isTrue();
            JsonObject user = status.getJsonObject("user");
            assertThat(user.getString("username")).isEqualTo("system:serviceaccount:ci:deployer");
            assertThat(user.getString("uid")).isEqualTo("tok-sa");
            assertThat(user.getJsonArray("groups").getList()).contains("kpat:authenticated",
                    "system:serviceaccounts", "system:serviceaccounts:ci");
            assertThat(user.getJsonObject("extra").getJsonArray("kpat.dev/token-id").getList()).containsExactly("tok-sa");
            assertThat(user.getJsonObject("extra").getJsonArray("kpat.dev/scopes").getList()).containsExactly("read");
            assertThat(user.getJsonObject("extra").getJsonArray("kpat.dev/expires-at").getList())
                    .containsExactly("2026-12-24T12:00:00Z");
        }
        JsonObject denied = new JsonObject(post("/v1/tokenreviews", "application/json",
                review("authentication.k8s.io/v1", revoked)).body()).getJsonObject("status");
        assertThat(denied.getBoolean("authenticated")).isFalse();
        assertThat(denied.getString("error")).isEqualTo("token revoked");

        var unknownVersion = post("/v1/tokenreviews", "application/json", review("authentication.k8s.io/v2", active));
        assertThat(unknownVersion.statusCode()).isEqualTo(400);
        assertThat(unknownVersion.body()).contains("expected a TokenReview of authentication.k8s.io/v1 or v1beta1");
        assertThat(post("/v1/tokenreviews", "application/x-www-form-urlencoded", "a=b").statusCode()).isEqualTo(415);
        assertThat(post("/v1/tokenreviews", "application/json",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}").body())
                .contains("missing spec.token");
    }

    @Test
    void tokenReviewTellsAdmissionWhenTheValueStopsAuthenticating() throws Exception {
        var superseded = Records.issue("tok-graced", List.of("read"),
                spec -> spec.setValidUntil("2026-11-24T12:10:00.750Z"));
        var forever = Records.issue("tok-forever", List.of("read"), spec -> spec.setExpiresAt(null));
        index.upsert(superseded.record());
        index.upsert(forever.record());
        // the end of the grace period, rounded down to whole seconds so the bound is never later than the truth
        assertThat(extra(superseded.value()).getJsonArray(UserExtra.EXPIRES_AT).getList())
                .containsExactly("2026-11-24T12:10:00Z");
        assertThat(extra(forever.value()).fieldNames()).containsExactlyInAnyOrder(UserExtra.TOKEN_ID,
                UserExtra.SCOPES);
    }

    private JsonObject extra(String token) throws Exception {
        return new JsonObject(post("/v1/tokenreviews", "application/json", review("authentication.k8s.io/v1", token))
                .body()).getJsonObject("status").getJsonObject("user").getJsonObject("extra");
    }

    private static String review(String apiVersion, String token) {
        return new JsonObject().put("apiVersion", apiVersion).put("kind", "TokenReview")
                .put("spec", new JsonObject().put("token", token)).encode();
    }

    @Test
    void forwardAuthForIngressControllers() throws Exception {
        var ok = auth("/v1/auth?scope=write:tasks&scope=read", active);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
        assertThat(ok.headers().firstValue("X-Auth-Request-Scopes")).hasValue("read write:tasks");
        assertThat(ok.headers().firstValue("X-Auth-Token-Id")).hasValue("tok-active");

        var forbidden = auth("/v1/auth?scope=admin:tokens", active);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").contains("scope=\"admin:tokens\"");

        var dead = auth("/v1/auth", revoked);
        assertThat(dead.statusCode()).isEqualTo(401);
        assertThat(dead.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(auth("/v1/auth", null).statusCode()).isEqualTo(401);
        assertThat(send(request("/v1/auth").header("Authorization", "Basic dXNlcjpwYXNz")
                .header("X-Forwarded-For", "192.0.2.200").GET()).statusCode())
                .isEqualTo(401);
        assertThat(auth("/v1/auth?scope=Not%20Valid!", active).statusCode()).isEqualTo(400);
        // any method: Envoy and Traefik forward the original one
        var viaPost = send(request("/v1/auth").header("Authorization", "Bearer " + active)
                .header("X-Forwarded-For", "192.0.2.201").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(viaPost.statusCode()).isEqualTo(200);
    }

    /** A check as Envoy's HTTP ext_authz sends it: path_prefix + the original path and query, no body. */
    private HttpRequest.Builder extAuthz(String originalPathAndQuery, String token, String scopeHeader) {
        HttpRequest.Builder b = request("/v1/auth" + originalPathAndQuery)
                .header("X-Forwarded-For", "192.0.2." + (++client))
                .header("x-envoy-expected-rq-timeout-ms", "500")
                .header("x-envoy-internal", "true")
                .header("x-request-id", "7f1c7b0e-2d1e-4c55-9a57-3f1a2b9c0d11")
                .header("x-forwarded-proto", "https");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (scopeHeader != null) {
            b.header("X-Kpat-Scope", scopeHeader);
        }
        return b;
    }

    @Test
    void envoyExtAuthzChecksAnyPathUnderThePrefix() throws Exception {
        var ok = send(extAuthz("/api/tasks?x=1", active, "write:tasks")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
        assertThat(ok.headers().firstValue("X-Auth-Request-Scopes")).hasValue("read write:tasks");
        assertThat(ok.headers().firstValue("X-Auth-Token-Id")).hasValue("tok-active");
        assertThat(send(extAuthz("/", active, null).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
        assertThat(send(extAuthz("/api/tasks/42", active, "read write:tasks").DELETE()).statusCode()).isEqualTo(200);

        var forbidden = send(extAuthz("/api/tasks", active, "admin:tokens").GET());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").contains("scope=\"admin:tokens\"");
        assertThat(send(extAuthz("/api/tasks", null, "read").GET()).statusCode()).isEqualTo(401);
        assertThat(send(extAuthz("/api/tasks", revoked, "read").GET()).statusCode()).isEqualTo(401);
        assertThat(send(extAuthz("/api/tasks", active, "Not Valid!").GET()).statusCode()).isEqualTo(400);

        // under the prefix the query is the original request's: an app's own scope parameter is no requirement
        assertThat(send(extAuthz("/oauth/authorize?scope=admin:tokens", active, "read").GET()).statusCode())
                .isEqualTo(200);
        assertThat(send(extAuthz("/search?scope=Not%20Valid!", active, null).GET()).statusCode()).isEqualTo(200);
        // on /v1/auth itself (ingress-nginx, Traefik) the header adds to ?scope=: both are required
        assertThat(send(request("/v1/auth?scope=read").header("Authorization", "Bearer " + active)
                .header("X-Forwarded-For", "192.0.2." + (++client)).header("X-Kpat-Scope", "admin:tokens").GET())
                .statusCode()).isEqualTo(403);
        // a prefix-like path is not forward-auth
        assertThat(send(request("/v1/authz").header("Authorization", "Bearer " + active).GET()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aPathUnderThePrefixCannotDotSegmentItsWayToAnOpenRoute() {
        // ext_authz appends the client's path as it came: /v1/auth/../healthz resolves to a route that answers 200
        for (String path : List.of("/v1/auth/../healthz", "/v1/auth/%2e%2e/readyz", "/v1/auth/a/../../healthz")) {
            RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.request("GET " + path + " HTTP/1.1",
                    "Authorization: Bearer kpat_none\r\n", new byte[0]), java.time.Duration.ofSeconds(5));
            assertThat(r.status()).as(path).isEqualTo(400);
        }
        // one that stays under the prefix is checked as usual
        RawHttp.Response inside = RawHttp.exchange(server.port(), RawHttp.request("GET /v1/auth/a/../b HTTP/1.1",
                "", new byte[0]), java.time.Duration.ofSeconds(5));
        assertThat(inside.status()).isEqualTo(401);
    }

    @Test
    void failedAttemptsAreLimitedPerClientButNeverAValidToken() throws Exception {
        // requests come from 127.0.0.1, a trusted proxy: X-Forwarded-For names the client
        for (int i = 0; i < 5; i++) {
            assertThat(auth("/v1/auth", "kpat_guess" + i, "203.0.113.7").statusCode()).isEqualTo(401);
        }
        var limited = auth("/v1/auth", "kpat_guess5", "203.0.113.7");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(auth("/v1/auth", active, "203.0.113.7").statusCode()).as("a valid token is decided first")
                .isEqualTo(200);
        // another client is not affected, and a proxy hop it adds on the right is trusted only if listed
        assertThat(auth("/v1/auth", "kpat_guess6", "198.51.100.9").statusCode()).isEqualTo(401);
        assertThat(auth("/v1/auth", active, "203.0.113.7, 198.51.100.9").statusCode()).isEqualTo(200);
    }

    @Test
    void oneDeadValueRetriedFromEverywhereIsLimitedByItsFingerprint() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(auth("/v1/auth", revoked).statusCode()).isEqualTo(401);
        }
        assertThat(auth("/v1/auth", revoked).statusCode()).as("a fresh client, the same dead value").isEqualTo(429);
        assertThat(auth("/v1/auth", "kpat_other").statusCode()).isEqualTo(401);
        assertThat(auth("/v1/auth", active).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenReviewsAreNeverAnswered429() throws Exception {
        // the API server retries a 429: junk is answered unauthenticated (a trusted caller, authenticated by its
        // client certificate, is not limited by address at all: CallerAuthenticationTest)
        for (int i = 0; i < 10; i++) {
            var r = post("/v1/tokenreviews", "application/json", review("authentication.k8s.io/v1", "kpat_guess" + i));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(r.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();
        }
        var r = post("/v1/tokenreviews", "application/json", review("authentication.k8s.io/v1", active));
        assertThat(new JsonObject(r.body()).getJsonObject("status").getBoolean("authenticated")).isTrue();
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        assertThat(send(request("/healthz").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/readyz").GET()).statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(send(request("/readyz").GET()).statusCode()).isEqualTo(200);
        auth("/v1/auth", active);
        auth("/v1/auth", revoked);
        String metrics = send(request("/metrics").GET()).body();
        assertThat(metrics).contains("kpat_verifier_decisions_total{endpoint=\"auth\",outcome=\"active\"} 1.0")
                .contains("kpat_verifier_decisions_total{endpoint=\"auth\",outcome=\"revoked\"} 1.0");
    }

    @Test
    void aValueRotatedAwayAfterALeakIsAuditedAsRevokedTokenUsed() {
        var leaked = Records.issue("tok-leaked", List.of("read"), s -> {
            s.setRevokedAt("2026-11-24T11:00:00Z");
            s.setRevocationReason("ManualRotation");
        });
        index.upsert(leaked.record());
        var v = new TokenVerifier(index, clock).verify(leaked.value(), List.of());
        JsonObject line = new JsonObject(AuditLog.line(clock.instant(), v, List.of(), "203.0.113.7", "auth"));
        assertThat(line.getString("reason")).isEqualTo("revoked");
        assertThat(line.getString("signal")).isEqualTo("RevokedTokenUsed");
        assertThat(line.getString("revocationReason")).isEqualTo("ManualRotation");
        assertThat(line.getString("client")).isEqualTo("203.0.113.7");
        assertThat(line.getString("tokenId")).isEqualTo("tok-leaked");
        // a record revoked without a reason (by hand) is refused as before, without the signal
        var plain = new TokenVerifier(index, clock).verify(revoked, List.of());
        JsonObject other = new JsonObject(AuditLog.line(clock.instant(), plain, List.of(), "203.0.113.7", "auth"));
        assertThat(other.getString("reason")).isEqualTo("revoked");
        assertThat(other.containsKey("signal")).isFalse();
    }

    @Test
    void auditLineHasTheDecisionButNeitherTokenNorHash() {
        var v = new TokenVerifier(index, clock).verify(active,
                List.of(dev.kpat.token.Scope.parse("read")));
        JsonObject line = new JsonObject(AuditLog.line(clock.instant(), v, List.of(dev.kpat.token.Scope.parse("read")),
                "203.0.113.7", "auth"));
        assertThat(line.getString("decision")).isEqualTo("allow");
        assertThat(line.getString("reason")).isEqualTo("active");
        assertThat(line.getString("tokenId")).isEqualTo("tok-active");
        assertThat(line.getString("owner")).isEqualTo("alice");
        assertThat(line.getString("namespace")).isEqualTo("team-a");
        assertThat(line.getString("name")).isEqualTo("ci");
        assertThat(line.getJsonArray("requiredScopes").getList()).containsExactly("read");
        assertThat(line.getString("client")).isEqualTo("203.0.113.7");
        assertThat(line.getString("endpoint")).isEqualTo("auth");
        assertThat(line.getString("time")).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(line.encode()).doesNotContain(active).doesNotContain("sha256:");
    }
}
