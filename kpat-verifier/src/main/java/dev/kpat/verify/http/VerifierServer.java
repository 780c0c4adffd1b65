package dev.kpat.verify.http;

import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.reuse.RevokedTokenUse;
import dev.kpat.verify.usage.UsageTracker;
import dev.kpat.vertx.VertxFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier's HTTP API: RFC 7662 introspection (registered clients only), the Kubernetes TokenReview and
 * SubjectAccessReview webhooks (the API server only), forward-auth for ingress controllers (open), and health,
 * readiness and metrics. Every handler runs on the event loop and decides from memory.
 * Bad input gets a short 4xx; no response ever carries a stack trace or the token.
 */
public final class VerifierServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifierServer.class);
    private static final java.util.Set<String> ROUTES = java.util.Set.of("/v1/introspect", "/v1/tokenreviews",
            "/v1/subjectaccessreviews", "/v1/auth", "/healthz", "/readyz", "/metrics");
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** A SubjectAccessReview carries the user's groups and extra, which can be long for any user, not only PATs. */
    public static final int MAX_REVIEW_BODY_BYTES = 256 * 1024;
    /** As nginx allows (one 8 KB buffer): forward-auth requests carry the original request's URL in a header. */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    /** All header lines together, as nginx allows (4 x 8 KB): forward-auth sees the original request's cookies. */
    public static final int MAX_HEADER_BYTES = 32 * 1024;
    /** How long a connection may take to deliver a request's headers, and then its body (see RequestDeadlines). */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
    /** How long a connection may take from a whole request to the next one's headers (Go keeps idle ones 90 s). */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(60);
    /** Event loops serving the API ports: one per processor the JVM may use (a container's CPU limit counts). */
    static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final IntrospectionEndpoint introspection;
    private final TokenReviewEndpoint tokenReview;
    private final SubjectAccessReviewEndpoint subjectAccessReview;
    private final ForwardAuthEndpoint forwardAuth;
    private final Decisions decisions;
    private final ApiServerCallers apiServerCallers;
    private final IntrospectionCallers introspectionCallers;
    private final RequestDeadlines deadlines;
    private final RequestDurations durations;
    private Vertx vertx;
    private int randomPorts;
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
        this.deadlines = new RequestDeadlines(REQUEST_DEADLINE, KEEP_ALIVE, registry);
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
        server = listen(options, mainRouter(metricsPort == null), EVENT_LOOPS);
        if (httpPort != null) {
            httpServer = listen(new HttpServerOptions().setHost(options.getHost()).setPort(httpPort),
                    forwardAuthRouter(), EVENT_LOOPS);
        }
        if (metricsPort != null) {
            metricsServer = listen(new HttpServerOptions().setHost(options.getHost()).setPort(metricsPort),
                    metricsRouter(), 1);
        }
        vertx.setPeriodic(1000, id -> deadlines.closeOverdue());
        return this;
    }

    /**
     * Every port gets the same limits: request lines and headers over theirs are answered 414 and 431 by Vert.x,
     * bodies over theirs 413; slow connections are closed after {@link #REQUEST_DEADLINE}, idle ones after
     * {@link #KEEP_ALIVE}. No HTTP/2 over cleartext: nobody needs it here, and while Vert.x waits to tell h2c from
     * HTTP/1.1 a connection is invisible to the request deadlines (one that sent nothing stayed open for ever).
     */
    private HttpServer listen(HttpServerOptions options, Router router, int instances) throws Exception {
        options.setCompressionSupported(false).setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES);
        if (options.getPort() == 0 && instances > 1) {
            // Vert.x: servers listening on the same negative port share one random port (0 gives each its own)
            options.setPort(-(++randomPorts));
        }
        // one server per event loop on the same port (Vert.x binds once and hands connections out in turn): a
        // single server would run every connection on one event loop, one core, however many the pod has
        List<HttpServer> servers = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options).connectionHandler(deadlines::opened).requestHandler(router).listen()
                        .onSuccess(servers::add).<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return servers.get(0);
    }

    /**
     * A router whose first route starts the request deadlines (see RequestDeadlines), and whose second keeps a path
     * under /v1/auth/ from being routed elsewhere by its dot segments.
     */
    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(deadlines::headersIn);
        router.route().handler(ForwardAuthEndpoint::keepEscapesOut);
        return router;
    }

    public int port() {
        return server.actualPort();
    }

    /** How many event loops serve the API ports. */
    public int eventLoops() {
        return EVENT_LOOPS;
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
        Router router = router();
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/introspect").handler(durations.of(IntrospectionEndpoint.NAME)).handler(body)
                .handler(deadlines::requestIn)
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
        Router router = router();
        forwardAuth(router);
        health(router);
        return errors(router);
    }

    private Router metricsRouter() {
        Router router = router();
        health(router);
        metrics(router);
        return errors(router);
    }

    private void forwardAuth(Router router) {
        // forward-auth stays open: the ingress controller calls it on behalf of anyone (the NetworkPolicy limits who)
        // /v1/auth for ingress-nginx and Traefik; /v1/auth/<the original path> for Envoy's ext_authz
        for (String path : List.of(ForwardAuthEndpoint.PATH, ForwardAuthEndpoint.PATH + "/*")) {
            router.route(path).handler(durations.ofSynchronous(ForwardAuthEndpoint.NAME))
                    .handler(deadlines::requestIn).handler(forwardAuth::handle);
        }
    }

    private void health(Router router) {
        router.get("/healthz").handler(deadlines::requestIn).handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(deadlines::requestIn).handler(ctx -> ctx.response()
                .setStatusCode(ready.getAsBoolean() ? 200 : 503).end(ready.getAsBoolean() ? "ok" : "index not synced"));
    }

    private void metrics(Router router) {
        router.get("/metrics").handler(deadlines::requestIn).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    }

    private Router errors(Router router) {
        // every failure of a route (a body over its limit, a client gone mid-body, a bug) ends here, not in Vert.x's
        // default, which logs a stack trace per request: a client could fill the log at will (found by fuzzing)
        router.route().failureHandler(this::failed);
        for (int code : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(code, ctx -> Responses.error(ctx, code, errorText(code, ctx)));
        }
        return router;
    }

    private void failed(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return; // the client went away: nobody to answer, nothing worth a log line
        }
        int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (code >= 500) {
            // the exception's class only: its message may hold request input
            String path = ctx.request().path();
            LOG.warn("{} {} failed: {}", ctx.request().method(), ROUTES.contains(path) ? path : "(another path)",
                    ctx.failure() == null ? "no exception" : ctx.failure().getClass().getName());
        }
        Responses.error(ctx, code, errorText(code, ctx));
    }

    /**
     * A route only the Kubernetes API server may call (webhooks): the body, then {@link ApiServerCallers}, which
     * answers 401/403 or puts the trusted caller on the request. Every API-server webhook goes through here.
     */
    private Route apiServerOnly(Route route, BodyHandler body, String endpoint) {
        return route.handler(durations.of(endpoint)).handler(body).handler(deadlines::requestIn)
                .handler(ctx -> apiServerCallers.handle(ctx, decisions, endpoint));
    }

    private static String errorText(int code, RoutingContext ctx) {
        return switch (code) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "body larger than " + (ctx.request().path().startsWith("/v1/subjectaccessreviews")
                    ? MAX_REVIEW_BODY_BYTES : MAX_BODY_BYTES) + " bytes";
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
