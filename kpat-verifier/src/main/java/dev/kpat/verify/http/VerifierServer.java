package dev.kpat.verify.http;

import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.reuse.RevokedTokenUse;
import dev.kpat.verify.usage.UsageTracker;
import dev.kpat.vertx.VertxFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The verifier's HTTP API: RFC 7662 introspection (registered clients only), the Kubernetes TokenReview and
 * SubjectAccessReview webhooks (the API server only), forward-auth for ingress controllers (open), and health,
 * readiness and metrics. Every handler runs on the event loop and decides from memory.
 * Bad input gets a short 4xx; no response ever carries a stack trace or the token.
 */
public final class VerifierServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** A SubjectAccessReview carries the user's groups and extra, which can be long for any user, not only PATs. */
    public static final int MAX_REVIEW_BODY_BYTES = 256 * 1024;

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final IntrospectionEndpoint introspection;
    private final TokenReviewEndpoint tokenReview;
    private final SubjectAccessReviewEndpoint subjectAccessReview;
    private final ForwardAuthEndpoint forwardAuth;
    private final Decisions decisions;
    private final ApiServerCallers apiServerCallers;
    private final IntrospectionCallers introspectionCallers;
    private final RequestDurations durations;
    private Vertx vertx;
    private HttpServer server;
    private HttpServer httpServer;
    private HttpServer metricsServer;

    public VerifierServer(TokenVerifier verifier, UsageTracker usage, AuditLog audit, ClientAddress addresses,
                          FailureLimits limits, ApiServerCallers apiServerCallers,
                          IntrospectionCallers introspectionCallers, PrometheusMeterRegistry registry,
                          BooleanSupplier ready, Clock clock) {
        this(verifier, usage, audit, addresses, limits, apiServerCallers, introspectionCallers, registry, ready,
                RevokedTokenUse.IGNORED, clock);
    }

    /** @param reuse where presentations of a value revoked after a leak are reported */
    public VerifierServer(TokenVerifier verifier, UsageTracker usage, AuditLog audit, ClientAddress addresses,
                          FailureLimits limits, ApiServerCallers apiServerCallers,
                          IntrospectionCallers introspectionCallers, PrometheusMeterRegistry registry,
                          BooleanSupplier ready, RevokedTokenUse reuse, Clock clock) {
        this.registry = registry;
        this.ready = ready;
        this.apiServerCallers = apiServerCallers;
        this.introspectionCallers = introspectionCallers;
        this.decisions = new Decisions(verifier, usage, audit, addresses, limits, new VerifierMetrics(registry,
                IntrospectionEndpoint.NAME, TokenReviewEndpoint.NAME, ForwardAuthEndpoint.NAME,
                SubjectAccessReviewEndpoint.NAME), reuse, clock);
        this.introspection = new IntrospectionEndpoint(decisions);
        this.tokenReview = new TokenReviewEndpoint(decisions);
        this.forwardAuth = new ForwardAuthEndpoint(decisions);
        // the API server asks for every request it authorizes: it makes no token decision, so nothing is throttled
        this.subjectAccessReview = new SubjectAccessReviewEndpoint(decisions, registry);
        this.durations = new RequestDurations(registry);
    }

    /** Starts listening; {@code options} carries the port and, when configured, TLS. Serves every route there. */
    public VerifierServer start(HttpServerOptions options) throws Exception {
        return start(options, null, null);
    }

    /**
     * Starts listening on the main port ({@code options}: port and TLS) and, when not null, on a plain-HTTP port for
     * forward-auth only (ingress controllers inside the cluster; never the webhooks or introspection, whose callers
     * authenticate over TLS) and on a metrics port (then {@code /metrics} leaves the main port). 0 is any free port.
     */
    public VerifierServer start(HttpServerOptions options, Integer httpPort, Integer metricsPort) throws Exception {
        vertx = VertxFactory.create();
        server = listen(options.setCompressionSupported(false), mainRouter(metricsPort == null));
        if (httpPort != null) {
            httpServer = listen(plain(options.getHost(), httpPort), forwardAuthRouter());
        }
        if (metricsPort != null) {
            metricsServer = listen(plain(options.getHost(), metricsPort), metricsRouter());
        }
        return this;
    }

    private HttpServer listen(HttpServerOptions options, Router router) throws Exception {
        return vertx.createHttpServer(options).requestHandler(router).listen().toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpServerOptions plain(String host, int port) {
        return new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false);
    }

    public int port() {
        return server.actualPort();
    }

    /** The plain-HTTP forward-auth port, or -1 when there is none. */
    public int httpPort() {
        return httpServer == null ? -1 : httpServer.actualPort();
    }

    /** The metrics port, or -1 when metrics are served on the main port. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.actualPort();
    }

    public HttpServer httpServer() {
        return server;
    }

    private Router mainRouter(boolean withMetrics) {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/introspect").handler(durations.of(IntrospectionEndpoint.NAME)).handler(body)
                .handler(ctx -> introspectionCallers.handle(ctx, decisions, IntrospectionEndpoint.NAME))
                .handler(introspection::handle);
        apiServerOnly(router.post("/v1/tokenreviews"), body, TokenReviewEndpoint.NAME).handler(tokenReview::handle);
        apiServerOnly(router.post("/v1/subjectaccessreviews"), BodyHandler.create(false)
                .setBodyLimit(MAX_REVIEW_BODY_BYTES), SubjectAccessReviewEndpoint.NAME)
                .handler(subjectAccessReview::handle);
        forwardAuth(router);
        health(router);
        if (withMetrics) {
            metrics(router);
        }
        return errors(router);
    }

    /** The plain-HTTP port: forward-auth and health only. */
    private Router forwardAuthRouter() {
        Router router = Router.router(vertx);
        forwardAuth(router);
        health(router);
        return errors(router);
    }

    private Router metricsRouter() {
        Router router = Router.router(vertx);
        health(router);
        metrics(router);
        return errors(router);
    }

    private void forwardAuth(Router router) {
        // forward-auth stays open: the ingress controller calls it on behalf of anyone (the NetworkPolicy limits who)
        router.route("/v1/auth").handler(durations.of(ForwardAuthEndpoint.NAME)).handler(forwardAuth::handle);
    }

    private void health(Router router) {
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(ctx -> ctx.response().setStatusCode(ready.getAsBoolean() ? 200 : 503)
                .end(ready.getAsBoolean() ? "ok" : "index not synced"));
    }

    private void metrics(Router router) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    }

    private static Router errors(Router router) {
        for (int code : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(code, ctx -> Responses.error(ctx, ctx.statusCode(), errorText(ctx.statusCode())));
        }
        return router;
    }

    /**
     * A route only the Kubernetes API server may call (webhooks): the body, then {@link ApiServerCallers}, which
     * answers 401/403 or puts the trusted caller on the request. Every API-server webhook goes through here.
     */
    private Route apiServerOnly(Route route, BodyHandler body, String endpoint) {
        return route.handler(durations.of(endpoint)).handler(body)
                .handler(ctx -> apiServerCallers.handle(ctx, decisions, endpoint));
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

    @Override
    public void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
