package dev.kpat.faults;

import dev.kpat.vertx.VertxFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain-HTTP proxy on loopback in front of a real kube-apiserver (HTTPS), for a client that authenticates with a
 * bearer token (passed on as it came). Each request is counted ({@link ApiTraffic}) and, as its {@link FaultPlan}
 * decides, passed on or answered with a fault. Responses are streamed, so watches work: as chunked HTTP responses
 * ({@code ?watch=true}) and as WebSockets, which the Fabric8 client uses for watches by default.
 */
final class FaultProxy implements AutoCloseable {
    /** Headers of one connection (RFC 9110 7.6.1), Host (names the proxy) and the body's framing (set again). */
    private static final Set<String> NOT_PASSED_ON = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "proxy-authorization");
    /** WebSocket handshake headers: the proxy's own WebSocket client makes its own handshake upstream. */
    private static final String WEBSOCKET_HEADERS = "sec-websocket-";
    /** Watch events may be large objects. */
    private static final int MAX_WEBSOCKET_MESSAGE = 16 * 1024 * 1024;

    private final Vertx vertx = VertxFactory.create();
    private final URI target;
    private final FaultPlan plan;
    private final ApiTraffic traffic;
    private final HttpClient upstream;
    private final WebSocketClient upstreamWebSockets;
    private final HttpServer server;
    private final AtomicLong webSockets = new AtomicLong();

    /**
     * @param apiServer the API server's https URL
     * @param caPem     the CA its serving certificate is signed by
     */
    FaultProxy(URI apiServer, String caPem, FaultPlan plan) throws Exception {
        this.target = apiServer;
        this.plan = plan;
        this.traffic = new ApiTraffic(Clock.systemUTC());
        PemTrustOptions trust = new PemTrustOptions().addCertValue(Buffer.buffer(caPem));
        // one connection per watch: the pool must hold every watch and the requests beside them
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trust)
                .setMaxPoolSize(256).setKeepAlive(true));
        // a WebSocket over the limit waits for one to close, and a watch's client waits with it: with 256, opening
        // 140 watches through the proxy (WatchRelayTest, -Dkpat.relay.watches=140) hung twice; with 1024 it did not
        this.upstreamWebSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustOptions(trust).setMaxConnections(1024).setMaxFrameSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxMessageSize(MAX_WEBSOCKET_MESSAGE));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setHttp2ClearTextEnabled(false).setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE)
                        .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE))
                .requestHandler(this::handle).listen().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    FaultPlan plan() {
        return plan;
    }

    ApiTraffic traffic() {
        return traffic;
    }

    /** How many WebSockets were joined through the proxy. */
    long webSockets() {
        return webSockets.get();
    }

    private void handle(HttpServerRequest req) {
        // nothing is read until the request's fate is decided (a WebSocket upgrade needs the request unread)
        req.pause();
        ApiVerb verb = ApiVerb.of(req.method(), req.path(), req.getParam("watch"));
        Fault fault = plan.choose(verb);
        traffic.record(verb, fault);
        switch (fault) {
            case ERROR_500 -> refuse(req, 500, "InternalError");
            case UNAVAILABLE_503 -> refuse(req, 503, "ServiceUnavailable");
            case THROTTLED_429 -> refuse(req, 429, "TooManyRequests");
            case CONFLICT_409 -> refuse(req, 409, "Conflict");
            default -> {
                boolean cut = fault == Fault.WATCH_CUT;
                if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
                    forwardWebSocket(req, cut);
                } else {
                    // bodies are small; read whole, a delayed request still reaches the API server after its
                    // client gave up on it
                    req.body().onFailure(e -> req.connection().close()).onSuccess(body -> {
                        if (fault == Fault.DELAYED) {
                            vertx.setTimer(plan.delay().toMillis(), t -> forward(req, body, false));
                        } else {
                            forward(req, body, cut);
                        }
                    });
                    req.resume();
                }
            }
        }
    }

    /** An answer as the API server words its own failures (a {@code Status}), without passing the request on. */
    private static void refuse(HttpServerRequest req, int code, String reason) {
        HttpServerResponse response = req.response().setStatusCode(code)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (code == 429) {
            response.putHeader("Retry-After", "1");
        }
        response.end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"injected by the fault proxy\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }

    /** The request as the API server gets it: same path, query and headers, minus those of the hop. */
    private RequestOptions upstreamOptions(HttpServerRequest req, RequestOptions options) {
        options.setHost(target.getHost()).setPort(target.getPort()).setURI(req.uri())
                .setHeaders(MultiMap.caseInsensitiveMultiMap());
        copyHeaders(req.headers(), options.getHeaders());
        return options;
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_PASSED_ON.contains(lower) && !lower.startsWith(WEBSOCKET_HEADERS)) {
                to.add(name, value);
            }
        });
    }

    private void forward(HttpServerRequest req, Buffer body, boolean cut) {
        RequestOptions options = upstreamOptions(req, new RequestOptions().setMethod(req.method()));
        upstream.request(options).onFailure(e -> failed(req)).onSuccess(out -> {
            (body.length() == 0 ? out.send() : out.send(body)).onFailure(e -> failed(req))
                    .onSuccess(in -> relay(req, out, in, cut));
        });
    }

    /** Streams the API server's answer back as it comes: a watch's events arrive for as long as it lives. */
    private void relay(HttpServerRequest req, HttpClientRequest out, HttpClientResponse in, boolean cut) {
        HttpServerResponse response = req.response();
        if (response.closed()) {
            // the client gave up (a delayed request): the API server has acted on it all the same
            out.reset();
            return;
        }
        response.setStatusCode(in.statusCode());
        copyHeaders(in.headers(), response.headers());
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
            // a watch's headers go out now, not with its first event
            response.write(Buffer.buffer());
        }
        // a client that goes away takes its upstream request (a watch) with it; the reset that follows is expected
        response.closeHandler(v -> out.reset());
        in.exceptionHandler(e -> response.reset());
        in.pipeTo(response);
        if (cut) {
            vertx.setTimer(plan.watchLifetime().toMillis(), t -> {
                req.connection().close();
                out.reset();
            });
        }
    }

    private void forwardWebSocket(HttpServerRequest req, boolean cut) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setSsl(true);
        upstreamOptions(req, options);
        String protocols = req.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            options.setSubProtocols(List.of(protocols.split("\\s*,\\s*")));
        }
        upstreamWebSockets.connect(options).onFailure(e -> {
            if (e instanceof UpgradeRejectedException rejected) {
                req.response().setStatusCode(rejected.getStatus()).end(rejected.getBody() == null ? Buffer.buffer()
                        : rejected.getBody());
            } else {
                failed(req);
            }
        }).onSuccess(up -> {
            // Vert.x drops the frames a WebSocket receives while it has no handler, and the API server sends a
            // watch's first events (a backlog, for a watch from an older resourceVersion) at once: they wait in
            // up's buffer until the client's side is upgraded too
            up.pause();
            req.toWebSocket().onFailure(e -> up.close()).onSuccess(down -> {
                webSockets.incrementAndGet();
                join(up, down);
                if (cut) {
                    vertx.setTimer(plan.watchLifetime().toMillis(), t -> {
                        req.connection().close();
                        up.close();
                    });
                }
            });
        });
    }

    private static void join(WebSocket up, WebSocketBase down) {
        relay(up, down);
        relay(down, up);
    }

    /**
     * Data frames from one side to the other, in order and no faster than the other side takes them; each side
     * answers pings itself. A close frame is passed on as a close after the frames before it: Vert.x reports it to
     * the close handler at once, ahead of frames still waiting in a paused WebSocket's buffer, but to the end handler
     * in its turn. A connection lost without a close frame closes the other side at once.
     */
    private static void relay(WebSocketBase from, WebSocketBase to) {
        from.frameHandler(frame -> {
            if ((frame.isText() || frame.isBinary() || frame.isContinuation()) && !to.isClosed()) {
                to.writeFrame(frame);
                if (to.writeQueueFull()) {
                    from.pause();
                    to.drainHandler(v -> from.resume());
                }
            }
        });
        from.endHandler(v -> to.close());
        from.closeHandler(v -> {
            if (from.closeStatusCode() == null) {
                to.close();
            }
        });
        from.exceptionHandler(e -> to.close());
        from.resume();
    }

    private static void failed(HttpServerRequest req) {
        if (!req.response().headWritten() && !req.response().closed()) {
            req.response().setStatusCode(502).end();
        } else {
            req.connection().close();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
