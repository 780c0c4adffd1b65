package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.testing.MutableClock;
import dev.kpat.testing.RawHttp;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier's HTTP server against clients that send too much, too slowly or too often: oversized request lines,
 * headers and bodies on every endpoint get a 4xx; slow clients (a byte a second: slowloris) and idle connections
 * are closed after {@link VerifierServer#REQUEST_DEADLINE}; meanwhile valid requests are answered within bounded
 * latency and the heap stays bounded. Figures go to RELIABILITY.md.
 */
class ServerLimitsTest {
    private static final int IDLE_CONNECTIONS = Integer.getInteger("kpat.limits.idle", 2_000);
    private static final int SLOW_CONNECTIONS = Integer.getInteger("kpat.limits.slow", 200);
    private static final List<String> ENDPOINTS = List.of("/v1/introspect", "/v1/tokenreviews",
            "/v1/subjectaccessreviews", "/v1/auth", "/healthz", "/readyz", "/metrics");
    private static final String CLIENT_SECRET = "limits-client-secret";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final TokenIndex index = new TokenIndex();
    private VerifierServer server;
    private String active;

    @BeforeEach
    void start() throws Exception {
        var a = Records.issue("tok-active", List.of("read"), s -> { });
        index.upsert(a.record());
        active = a.value();
        server = new VerifierServer(new TokenVerifier(index, clock), new UsageTracker(),
                AuditLog.to(java.io.OutputStream.nullOutputStream()), new ClientAddress(List.of()),
                new FailureLimits(1_000_000, 1_000_000, clock), ApiServerCallers.anyone(),
                new IntrospectionCallers((id, secret) -> id.equals("rs") && secret.equals(CLIENT_SECRET), null),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, clock)
                .start(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void oversizedRequestLinesHeadersAndBodiesGetA4xxOnEveryEndpoint() {
        for (String path : ENDPOINTS) {
            String method = path.startsWith("/v1/") && !path.equals("/v1/auth") ? "POST" : "GET";
            RawHttp.Response longLine = exchange(RawHttp.request(method + " " + path + "?scope="
                    + "a".repeat(VerifierServer.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1", "", new byte[0]));
            assertThat(longLine.status()).as(path + ": request line too long").isEqualTo(414);

            RawHttp.Response bigHeader = exchange(RawHttp.request(method + " " + path + " HTTP/1.1",
                    "X-Padding: " + "a".repeat(VerifierServer.MAX_HEADER_BYTES) + "\r\n", new byte[0]));
            assertThat(bigHeader.status()).as(path + ": headers too large").isEqualTo(431);

            // many headers, each small, adding up past the limit
            StringBuilder many = new StringBuilder();
            for (int i = 0; many.length() <= 2 * VerifierServer.MAX_HEADER_BYTES; i++) {
                many.append("X-H").append(i).append(": ").append("b".repeat(60)).append("\r\n");
            }
            assertThat(exchange(RawHttp.request(method + " " + path + " HTTP/1.1", many.toString(), new byte[0]))
                    .status()).as(path + ": many headers").isEqualTo(431);
        }
        for (String path : List.of("/v1/introspect", "/v1/tokenreviews", "/v1/subjectaccessreviews")) {
            int limit = path.equals("/v1/subjectaccessreviews") ? VerifierServer.MAX_REVIEW_BODY_BYTES
                    : VerifierServer.MAX_BODY_BYTES;
            byte[] big = ("{\"token\":\"" + "a".repeat(limit) + "\"}").getBytes(StandardCharsets.US_ASCII);
            RawHttp.Response declared = exchange(RawHttp.request("POST " + path + " HTTP/1.1",
                    "Content-Type: application/json\r\n" + basic(path) + "Content-Length: " + big.length + "\r\n", big));
            assertThat(declared.status()).as(path + ": declared length over the limit").isEqualTo(413);
            assertThat(new JsonObject(declared.body()).getString("error"))
                    .isEqualTo("body larger than " + limit + " bytes");

            RawHttp.Response chunked = exchange(RawHttp.request("POST " + path + " HTTP/1.1",
                    "Content-Type: application/json\r\n" + basic(path) + "Transfer-Encoding: chunked\r\n",
                    chunks(big)));
            assertThat(chunked.status()).as(path + ": chunked body over the limit").isEqualTo(413);
        }
        // a body where none is read is discarded, not buffered: the request is answered as if it had none
        byte[] megabyte = new byte[1 << 20];
        RawHttp.Response ignored = exchange(RawHttp.request("POST /v1/auth HTTP/1.1",
                "Authorization: Bearer " + active + "\r\nContent-Length: " + megabyte.length + "\r\n", megabyte));
        assertThat(ignored.status()).isEqualTo(200);
        // a form of many fields within the body limit
        String form = "token=" + active + "&a".repeat(2_000);
        RawHttp.Response fields = exchange(RawHttp.request("POST /v1/introspect HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded\r\n" + basic("/v1/introspect")
                        + "Content-Length: " + form.length() + "\r\n", form.getBytes(StandardCharsets.US_ASCII)));
        assertThat(fields.status()).as("too many form fields").isEqualTo(400);
    }

    /**
     * 2,000 connections that send nothing and 200 slowloris clients (a header byte a second) at once: a valid
     * forward-auth request every 50 ms is answered throughout; the server closes every one of them within the request
     * deadline (plus its once-a-second check), but not a keep-alive connection waiting after a response; the heap is
     * bounded.
     */
    @Test
    void slowAndIdleConnectionsAreClosedAndValidRequestsAnsweredMeanwhile() throws Exception {
        long heapBefore = usedHeapAfterGc();
        List<SocketChannel> idle = open(IDLE_CONNECTIONS);
        List<SocketChannel> slow = open(SLOW_CONNECTIONS);
        // a client that completed a request may keep its connection for the next one longer than the deadline
        SocketChannel keptAlive = open(1).get(0);
        keptAlive.write(ByteBuffer.wrap(("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        Instant opened = Instant.now();
        byte[] slowRequest = ("GET /v1/auth HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + active
                + "\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Long> latencies = new ArrayList<>();
        int second = 0;
        long heapDuring = 0;
        Duration limit = VerifierServer.REQUEST_DEADLINE.plusSeconds(3);
        while (Duration.between(opened, Instant.now()).compareTo(limit) < 0) {
            if (Duration.between(opened, Instant.now()).toSeconds() >= second) {
                // each slow client sends one more byte of its headers
                for (SocketChannel c : slow) {
                    if (c.isOpen()) {
                        try {
                            c.write(ByteBuffer.wrap(slowRequest, second % slowRequest.length, 1));
                        } catch (IOException closedByServer) {
                            c.close();
                        }
                    }
                }
                second++;
                if (second == 5) {
                    heapDuring = usedHeapAfterGc();
                }
            }
            long start = System.nanoTime();
            RawHttp.Response ok = exchange(RawHttp.request("GET /v1/auth HTTP/1.1", "Authorization: Bearer "
                    + active + "\r\n", new byte[0]));
            latencies.add((System.nanoTime() - start) / 1_000_000);
            assertThat(ok.status()).as("a valid request while slow and idle clients hold connections").isEqualTo(200);
            Thread.sleep(50);
        }
        long idleClosed = idle.stream().filter(ServerLimitsTest::closedByServer).count();
        long slowClosed = slow.stream().filter(ServerLimitsTest::closedByServer).count();
        assertThat(closedByServer(keptAlive)).as("a connection waiting after a response").isFalse();
        keptAlive.close();
        closeAll(idle);
        closeAll(slow);
        long heapAfter = usedHeapAfterGc();
        Collections.sort(latencies);
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        long max = latencies.get(latencies.size() - 1);
        System.out.printf("limits: %d idle + %d slow connections; %d valid requests meanwhile, latency p50 %d ms, "
                        + "p99 %d ms, max %d ms; heap before %d MB, with connections %d MB, after %d MB; closed by "
                        + "the server within %d s: idle %d, slow %d%n", IDLE_CONNECTIONS, SLOW_CONNECTIONS,
                latencies.size(), latencies.get(latencies.size() / 2), p99, max, heapBefore >> 20, heapDuring >> 20,
                heapAfter >> 20, limit.toSeconds(), idleClosed, slowClosed);
        assertThat(idleClosed).as("idle connections closed by the server").isEqualTo(IDLE_CONNECTIONS);
        assertThat(slowClosed).as("slowloris connections closed by the server").isEqualTo(SLOW_CONNECTIONS);
        assertThat(p99).as("p99 latency of valid requests, ms (a busy 2-core machine)").isLessThan(1000);
        assertThat(heapDuring - heapBefore).as("heap held by the connections").isLessThan(64L << 20);
        assertThat(heapAfter - heapBefore).as("heap left after they are gone").isLessThan(16L << 20);
    }

    private RawHttp.Response exchange(byte[] request) {
        return RawHttp.exchange(server.port(), request, Duration.ofSeconds(10));
    }

    private static String basic(String path) {
        return path.equals("/v1/introspect") ? "Authorization: Basic " + Base64.getEncoder()
                .encodeToString(("rs:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)) + "\r\n" : "";
    }

    private static byte[] chunks(byte[] body) {
        StringBuilder sb = new StringBuilder();
        String text = new String(body, StandardCharsets.US_ASCII);
        for (int i = 0; i < text.length(); i += 1000) {
            String part = text.substring(i, Math.min(text.length(), i + 1000));
            sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private List<SocketChannel> open(int n) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
            c.configureBlocking(false);
            channels.add(c);
        }
        return channels;
    }

    /** True when the server closed it: reading sees the end of the stream (or a reset) after any answer. */
    private static boolean closedByServer(SocketChannel c) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            for (int n; c.isOpen(); buf.clear()) {
                n = c.read(buf);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void closeAll(List<SocketChannel> channels) throws IOException {
        for (SocketChannel c : channels) {
            c.close();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
