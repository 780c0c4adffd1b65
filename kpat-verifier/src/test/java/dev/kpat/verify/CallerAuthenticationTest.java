package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.localcluster.Pki;
import dev.kpat.testing.MutableClock;
import dev.kpat.testing.TlsClients;
import dev.kpat.verify.callers.CallerSettings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call the verifier, over real TLS with real client certificates: the TokenReview route only for the API
 * server's certificate, and failure limits that junk (10,000 values, through the API server or from one peer)
 * cannot turn against a valid token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerAuthenticationTest {
    private static final int JUNK = 10_000;

    private final EmbeddedCluster cluster = new EmbeddedCluster().start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final Pki webhookCa = Pki.create("kpat-webhook-client-ca");
    private final Pki otherCa = Pki.create("someone-elses-ca");
    private final Pki servingCa = Pki.create("kpat-verifier-ca");
    private Path dir;
    private VerifierService verifier;
    private String valid;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Records.Issued issued = Records.issue("tok-callers", List.of("read"), s -> { });
        valid = issued.value();
        cluster.client().resources(TokenRecord.class).resource(issued.record()).create();
        verifier = start(List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> verifier.index().size() == 1);
    }

    private VerifierService start(List<String> allowedNames) throws Exception {
        Pki.KeyAndCert serving = servingCa.serving("kpat-verifier", List.of());
        Path cert = Files.writeString(Files.createTempFile(dir, "tls", ".crt"), serving.certPem());
        Path key = Files.writeString(Files.createTempFile(dir, "tls", ".key"), serving.keyPem());
        Path clientCa = Files.writeString(Files.createTempFile(dir, "client-ca", ".crt"), webhookCa.caPem());
        VerifierSettings settings = VerifierSettings.plain(0).withHost("127.0.0.1").withTls(cert, key)
                .withTrustedProxies(List.of("127.0.0.1/32"))
                .withCallers(CallerSettings.none().withClientCa(clientCa, allowedNames));
        return new VerifierService(cluster.client(), settings, clock, AuditLog.to(java.io.OutputStream.nullOutputStream()))
                .start();
    }

    @AfterAll
    void stop() {
        verifier.close();
        cluster.close();
    }

    private HttpClient as(Pki.KeyAndCert clientCertificate) {
        return TlsClients.trusting(servingCa.caPem(), clientCertificate);
    }

    private HttpRequest tokenReview(VerifierService v, String token) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + v.port() + "/v1/tokenreviews"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
                                .put("spec", new JsonObject().put("token", token)).encode())).build();
    }

    private HttpRequest forwardAuth(String token, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + verifier.port() + "/v1/auth"))
                .header("Authorization", "Bearer " + token);
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return b.GET().build();
    }

    private static boolean authenticated(HttpResponse<String> r) {
        return new JsonObject(r.body()).getJsonObject("status").getBoolean("authenticated");
    }

    @Test
    void tokenReviewsOnlyForTheApiServersCertificate() throws Exception {
        HttpClient apiServer = as(webhookCa.client("kube-apiserver", List.of()));
        HttpResponse<String> ok = apiServer.send(tokenReview(verifier, valid), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(authenticated(ok)).isTrue();

        HttpResponse<String> noCertificate = as(null).send(tokenReview(verifier, valid),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noCertificate.statusCode()).isEqualTo(401);
        assertThat(noCertificate.body()).contains("client certificate").doesNotContain("\"authenticated\"");

        // a certificate from another CA, presented anyway: the handshake fails
        HttpClient stranger = as(otherCa.client("kube-apiserver", List.of()));
        assertThatThrownBy(() -> stranger.send(tokenReview(verifier, valid), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        // routes for everyone else still work without a certificate
        assertThat(as(null).send(forwardAuth(valid, null), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aCertificateWithAnotherNameIsForbiddenWhenNamesAreListed() throws Exception {
        try (VerifierService named = start(List.of("kube-apiserver"))) {
            await().atMost(Duration.ofSeconds(10)).until(named::ready);
            assertThat(as(webhookCa.client("kube-apiserver", List.of())).send(tokenReview(named, valid),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(as(webhookCa.client("alice", List.of())).send(tokenReview(named, valid),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withoutAClientCaTokenReviewsAreRefused() throws Exception {
        try (VerifierService open = new VerifierService(cluster.client(), VerifierSettings.plain(0)
                .withHost("127.0.0.1"), clock, AuditLog.to(java.io.OutputStream.nullOutputStream())).start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + open.port() + "/v1/tokenreviews"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("--client-ca-file");
        }
    }

    @Test
    void junkThroughTheApiServerNeverLocksOutAValidToken() throws Exception {
        HttpClient apiServer = as(webhookCa.client("kube-apiserver", List.of()));
        Map<String, Integer> answers = sendAll(apiServer, i -> tokenReview(verifier, "kpat_junk" + i),
                r -> r.statusCode() + (r.statusCode() == 200 && !authenticated(r) ? " unauthenticated" : ""));
        assertThat(answers).as("the API server retries a 429, so junk is answered, never throttled")
                .isEqualTo(Map.of("200 unauthenticated", JUNK));
        HttpResponse<String> after = apiServer.send(tokenReview(verifier, valid), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(authenticated(after)).isTrue();
    }

    @Test
    void junkFromOnePeerThrottlesItsFailuresButNotItsValidTokenNorOthers() throws Exception {
        HttpClient client = as(null);
        Map<String, Integer> answers = sendAll(client, i -> forwardAuth("kpat_junk" + i, null),
                r -> String.valueOf(r.statusCode()));
        assertThat(answers.keySet()).containsExactlyInAnyOrder("401", "429");
        // the verifier's clock stands still, so nothing refills: the burst (20), less what this peer's failures in
        // other tests of the class took
        assertThat(answers.get("401")).as("answered before the peer's burst ran out").isBetween(10, 20);
        assertThat(client.send(forwardAuth(valid, null), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(client.send(forwardAuth("kpat_more", null), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(429);
        assertThat(client.send(forwardAuth("kpat_elsewhere", "198.51.100.23"), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("a client behind a trusted proxy is counted on its own").isEqualTo(401);
    }

    /** Sends {@code JUNK} requests, 16 at a time, and counts the answers by {@code classify}. */
    private static Map<String, Integer> sendAll(HttpClient client, IntFunction<HttpRequest> request,
                                                java.util.function.Function<HttpResponse<String>, String> classify)
            throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(16);
        AtomicInteger errors = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[JUNK];
        for (int i = 0; i < JUNK; i++) {
            inFlight.acquire();
            all[i] = client.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        if (e != null) {
                            errors.incrementAndGet();
                        } else {
                            counts.merge(classify.apply(r), 1, Integer::sum);
                        }
                    });
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).get();
        assertThat(errors.get()).isZero();
        return counts;
    }
}
