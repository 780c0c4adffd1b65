package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.Verification;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The verifier's HTTP API: RFC 7662 introspection, the Kubernetes TokenReview webhook, forward-auth for ingress
 * controllers, and health, readiness and metrics. Every handler runs on the event loop and decides from memory.
 * Bad input gets a short 4xx; no response ever carries a stack trace or the token.
 */
public final class VerifierServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String INTROSPECT = "introspect";
    static final String TOKENREVIEW = "tokenreview";
    static final String AUTH = "auth";
    private static final List<String> REVIEW_VERSIONS = List.of("authentication.k8s.io/v1",
            "authentication.k8s.io/v1beta1");

    private final TokenVerifier verifier;
    private final UsageTracker usage;
    private final AuditLog audit;
    private final ClientAddress addresses;
    private final FailureRateLimiter limiter;
    private final PrometheusMeterRegistry registry;
    private final VerifierMetrics metrics;
    private final BooleanSupplier ready;
    private final Clock clock;
    private final RequiredScopes requiredScopes = new RequiredScopes();
    private Vertx vertx;
    private HttpServer server;

    public VerifierServer(TokenVerifier verifier, UsageTracker usage, AuditLog audit, ClientAddress addresses,
                          FailureRateLimiter limiter, PrometheusMeterRegistry registry, BooleanSupplier ready,
                          Clock clock) {
        this.verifier = verifier;
        this.usage = usage;
        this.audit = audit;
        this.addresses = addresses;
        this.limiter = limiter;
        this.registry = registry;
        this.metrics = new VerifierMetrics(registry, INTROSPECT, TOKENREVIEW, AUTH);
        this.ready = ready;
        this.clock = clock;
    }

    /** Starts listening; {@code options} carries the port and, when configured, TLS. */
    public VerifierServer start(HttpServerOptions options) throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(options.setCompressionSupported(false)).requestHandler(router())
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    public HttpServer httpServer() {
        return server;
    }

    Router router() {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/introspect").handler(body).handler(this::introspect);
        router.post("/v1/tokenreviews").handler(body).handler(this::tokenReview);
        router.route("/v1/auth").handler(this::forwardAuth);
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(ctx -> ctx.response().setStatusCode(ready.getAsBoolean() ? 200 : 503)
                .end(ready.getAsBoolean() ? "ok" : "index not synced"));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
        for (int code : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(code, ctx -> error(ctx, ctx.statusCode(), errorText(ctx.statusCode())));
        }
        return router;
    }

    // RFC 7662: form or JSON in, {"active":false} for anything that is not an active token
    private void introspect(RoutingContext ctx) {
        String contentType = mediaType(ctx);
        String token;
        if ("application/x-www-form-urlencoded".equals(contentType)) {
            token = ctx.request().getFormAttribute("token");
        } else if ("application/json".equals(contentType)) {
            JsonObject json = jsonBody(ctx, INTROSPECT);
            if (json == null) {
                return;
            }
            token = json.getValue("token") instanceof String s ? s : null;
        } else {
            reject(ctx, INTROSPECT, 415, "use application/x-www-form-urlencoded or application/json");
            return;
        }
        if (token == null || token.isEmpty()) {
            reject(ctx, INTROSPECT, 400, "missing token");
            return;
        }
        Verification v = decide(ctx, INTROSPECT, token, List.of());
        if (v == null) {
            return;
        }
        JsonObject out = new JsonObject();
        if (!v.active()) {
            out.put("active", false);
        } else {
            IndexedToken t = v.token();
            out.put("active", true).put("sub", t.owner()).put("username", t.owner())
                    .put("scope", t.scopes().toSpaceSeparated());
            if (t.expiresAtSeconds() != null) {
                out.put("exp", t.expiresAtSeconds());
            }
            out.put("iat", t.issuedAtSeconds()).put("jti", t.tokenId()).put("token_type", "personal_access_token")
                    .put("namespace", t.namespace()).put("name", t.name());
        }
        json(ctx, 200, out);
    }

    // Kubernetes webhook token authentication: answers in the apiVersion it was asked in
    private void tokenReview(RoutingContext ctx) {
        if (!"application/json".equals(mediaType(ctx))) {
            reject(ctx, TOKENREVIEW, 415, "use application/json");
            return;
        }
        JsonObject review = jsonBody(ctx, TOKENREVIEW);
        if (review == null) {
            return;
        }
        Object apiVersion = review.getValue("apiVersion");
        if (!REVIEW_VERSIONS.contains(apiVersion) || !"TokenReview".equals(review.getValue("kind"))) {
            reject(ctx, TOKENREVIEW, 400, "expected a TokenReview of authentication.k8s.io/v1 or v1beta1");
            return;
        }
        Object specValue = review.getValue("spec");
        Object tokenValue = specValue instanceof JsonObject spec ? spec.getValue("token") : null;
        if (!(tokenValue instanceof String token) || token.isEmpty()) {
            reject(ctx, TOKENREVIEW, 400, "missing spec.token");
            return;
        }
        Verification v = decide(ctx, TOKENREVIEW, token, List.of());
        if (v == null) {
            return;
        }
        JsonObject status = new JsonObject();
        if (v.active()) {
            IndexedToken t = v.token();
            JsonArray groups = new JsonArray().add("kpat:authenticated");
            serviceAccountGroups(t.owner(), groups);
            JsonArray scopes = new JsonArray();
            t.scopes().scopes().forEach(s -> scopes.add(s.toString()));
            status.put("authenticated", true).put("user", new JsonObject()
                    .put("username", t.owner()).put("uid", t.tokenId()).put("groups", groups)
                    .put("extra", new JsonObject().put("kpat.dev/token-id", new JsonArray().add(t.tokenId()))
                            .put("kpat.dev/scopes", scopes)));
        } else {
            status.put("authenticated", false).put("error", "token " + v.outcome().reason());
        }
        json(ctx, 200, new JsonObject().put("apiVersion", apiVersion).put("kind", "TokenReview")
                .put("status", status));
    }

    // ingress-nginx auth-url, Traefik ForwardAuth, Envoy ext_authz (HTTP): Bearer token, optional ?scope=
    private void forwardAuth(RoutingContext ctx) {
        List<Scope> required = new ArrayList<>();
        for (String s : ctx.queryParam("scope")) {
            List<Scope> parsed = requiredScopes.parse(s);
            if (parsed == null) {
                reject(ctx, AUTH, 400, "scope '" + s + "' is not '*', 'action' or 'action:resource'");
                return;
            }
            required.addAll(parsed);
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.length() == 7) {
            metrics.rejected(AUTH);
            limiter.failed(addresses.of(ctx.request()));
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"kpat\"")
                    .putHeader("Content-Type", "application/json").end("{\"error\":\"missing bearer token\"}");
            return;
        }
        Verification v = decide(ctx, AUTH, authorization.substring(7).trim(), required);
        if (v == null) {
            return;
        }
        if (v.active()) {
            IndexedToken t = v.token();
            ctx.response().putHeader("X-Auth-Request-User", t.owner())
                    .putHeader("X-Auth-Request-Scopes", t.scopes().toSpaceSeparated())
                    .putHeader("X-Auth-Token-Id", t.tokenId()).end();
        } else if (v.outcome() == Outcome.INSUFFICIENT_SCOPE) {
            StringBuilder scope = new StringBuilder();
            required.forEach(s -> scope.append(scope.length() == 0 ? "" : " ").append(s));
            ctx.response().setStatusCode(403).putHeader("WWW-Authenticate",
                    "Bearer realm=\"kpat\", error=\"insufficient_scope\", scope=\"" + scope + "\"").end();
        } else {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate",
                    "Bearer realm=\"kpat\", error=\"invalid_token\", error_description=\"token "
                            + v.outcome().reason() + "\"").end();
        }
    }

    /** Rate limit, decide, count, audit. Null when the client is over its failure limit (already answered 429). */
    private Verification decide(RoutingContext ctx, String endpoint, String token, List<Scope> required) {
        String client = addresses.of(ctx.request());
        if (!limiter.allows(client)) {
            metrics.rejected(endpoint);
            ctx.response().setStatusCode(429).putHeader("Retry-After", "60")
                    .putHeader("Content-Type", "application/json").end("{\"error\":\"too many failed attempts\"}");
            return null;
        }
        Verification v = verifier.verify(token, required);
        if (v.outcome().authenticated()) {
            usage.record(v.token().tokenId(), client, clock.millis());
        }
        if (!v.active()) {
            limiter.failed(client);
        }
        metrics.decided(endpoint, v.outcome());
        audit.record(clock.instant(), v, required, client, endpoint);
        return v;
    }

    private JsonObject jsonBody(RoutingContext ctx, String endpoint) {
        try {
            JsonObject json = ctx.body().asJsonObject();
            if (json == null) {
                reject(ctx, endpoint, 400, "empty body");
            }
            return json;
        } catch (DecodeException | ClassCastException e) {
            reject(ctx, endpoint, 400, "body is not a JSON object");
            return null;
        }
    }

    private void reject(RoutingContext ctx, String endpoint, int status, String reason) {
        metrics.rejected(endpoint);
        limiter.failed(addresses.of(ctx.request()));
        error(ctx, status, reason);
    }

    private static void error(RoutingContext ctx, int status, String reason) {
        if (ctx.response().ended()) {
            return;
        }
        json(ctx, status, new JsonObject().put("error", reason));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    private static String mediaType(RoutingContext ctx) {
        String ct = ctx.request().getHeader("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String errorText(int code) {
        return switch (code) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "body larger than " + MAX_BODY_BYTES + " bytes";
            case 415 -> "unsupported content type";
            case 500 -> "internal error";
            default -> "bad request";
        };
    }

    /** Kubernetes groups of a ServiceAccount owner, so RBAC bound to them applies to the token too. */
    private static void serviceAccountGroups(String owner, JsonArray groups) {
        String prefix = "system:serviceaccount:";
        if (owner.startsWith(prefix)) {
            String[] parts = owner.substring(prefix.length()).split(":");
            if (parts.length == 2) {
                groups.add("system:serviceaccounts").add("system:serviceaccounts:" + parts[0]);
            }
        }
    }

    @Override
    public void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
