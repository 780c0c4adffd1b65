package dev.kpat.verify;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.RotationSpec;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.reconcile.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator and verifiers together on one API, as in a cluster: every lifecycle step seen by a client. */
class OperatorAndVerifierTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private OperatorHarness h;
    private VerifierService verifier;

    @BeforeEach
    void start() throws Exception {
        h = new OperatorHarness().start(OperatorSettings.defaults());
        verifier = startVerifier();
    }

    @AfterEach
    void stop() {
        verifier.close();
        h.close();
    }

    private VerifierService startVerifier() throws Exception {
        VerifierSettings settings = new VerifierSettings("127.0.0.1", 0, List.of("127.0.0.1/32"),
                Duration.ofHours(1), 1000, 1000, null, null, null, List.of(), null, dev.kpat.verify.callers.CallerSettings.none(),
                null, null);
        VerifierService v = new VerifierService(h.client, settings, h.clock).start();
        await().atMost(Duration.ofSeconds(10)).until(v::ready);
        return v;
    }

    private int auth(VerifierService v, String token, String scope, String clientIp) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.port() + "/v1/auth"
                + (scope == null ? "" : "?scope=" + scope))).header("Authorization", "Bearer " + token);
        if (clientIp != null) {
            b.header("X-Forwarded-For", clientIp);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int auth(String token) throws Exception {
        return auth(verifier, token, null, null);
    }

    private String issue(String name, java.util.function.Consumer<dev.kpat.api.PersonalAccessTokenSpec> edit) {
        h.create(name, edit);
        h.awaitPat(name, p -> phaseIs(p, "Active"));
        return h.valueIn(name);
    }

    @Test
    void issuedTokenIsAcceptedWithItsScopesOnly() throws Exception {
        String value = issue("app", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(value) == 200);
        assertThat(auth(verifier, value, "write:tasks", null)).isEqualTo(200);
        assertThat(auth(verifier, value, "admin:tokens", null)).isEqualTo(403);
    }

    @Test
    void revokedTokenIsRejectedWithinOneSecond() throws Exception {
        String value = issue("leaked", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(value) == 200);
        long written = System.nanoTime();
        h.editSpec("leaked", s -> s.setRevoked(true));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> auth(value) == 401);
        long millis = (System.nanoTime() - written) / 1_000_000;
        assertThat(millis).isLessThan(1000);
    }

    @Test
    void manualRotationSwapsValuesAtOnce() throws Exception {
        String old = issue("rot", s -> s.setTtl("30d"));
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(old) == 200);
        h.annotate("rot", Labels.ROTATE_ANNOTATION, "1");
        h.awaitPat("rot", p -> p.getStatus().getRevision() == 2L);
        String fresh = h.valueIn("rot");
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(fresh) == 200 && auth(old) == 401);
    }

    @Test
    void scheduledRotationKeepsTheOldValueForTheGracePeriod() throws Exception {
        String old = issue("sched", s -> {
            s.setTtl("30d");
            RotationSpec r = new RotationSpec();
            r.setEnabled(true);
            r.setGracePeriod("10m");
            s.setRotation(r);
        });
        h.clock.set(Instant.parse(h.get("sched").getStatus().getRenewalTime()));
        h.poke("sched");
        h.awaitPat("sched", p -> p.getStatus().getRevision() == 2L);
        String fresh = h.valueIn("sched");
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(fresh) == 200);
        assertThat(auth(old)).as("old value during grace").isEqualTo(200);
        h.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(auth(old)).isEqualTo(200);
        h.clock.advance(Duration.ofMillis(1));
        assertThat(auth(old)).as("old value after grace").isEqualTo(401);
        assertThat(auth(fresh)).isEqualTo(200);
    }

    @Test
    void expiredTokenIsRejectedAtTheInstant() throws Exception {
        String value = issue("short", s -> s.setTtl("1h"));
        await().atMost(Duration.ofSeconds(2)).until(() -> auth(value) == 200);
        h.clock.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(auth(value)).isEqualTo(200);
        h.clock.advance(Duration.ofMillis(1));
        assertThat(auth(value)).isEqualTo(401);
    }

    @Test
    void usageFromTwoVerifiersAddsUpInRecordAndTokenStatus() throws Exception {
        String value = issue("used", s -> s.setTtl("30d"));
        VerifierService second = startVerifier();
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> auth(value) == 200 && auth(second, value, null, null) == 200);
            verifier.flushUsage();
            second.flushUsage();
            String id = h.get("used").getStatus().getTokenId();
            long before = h.record(id).getStatus().getUsageCount();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 25; i++) {
                    assertThat(auth(verifier, value, null, "198.51.100." + (i % 7))).isEqualTo(200);
                    assertThat(auth(second, value, null, "203.0.113." + (i % 3))).isEqualTo(200);
                }
                // both replicas flush at the same moment: their writes conflict and must still add up
                CompletableFuture<Integer> a = CompletableFuture.supplyAsync(verifier::flushUsage);
                CompletableFuture<Integer> b = CompletableFuture.supplyAsync(second::flushUsage);
                a.get();
                b.get();
            }
            var status = h.record(id).getStatus();
            assertThat(status.getUsageCount()).isEqualTo(before + 150);
            // the mock API server appends arrays in merge patches (RFC 7386 replaces them, as a real API server does),
            // so here only the addresses are checked; the last-5 rule itself is unit-tested in UsageTest
            assertThat(status.getRecentClientIPs()).contains("198.51.100.6", "198.51.100.0", "198.51.100.3",
                    "203.0.113.0", "203.0.113.1", "203.0.113.2");
            assertThat(Instant.parse(status.getLastUsedAt())).isEqualTo(h.clock.instant());
            PersonalAccessToken pat = h.awaitPat("used", p -> p.getStatus().getUsageCount() != null
                    && p.getStatus().getUsageCount() == before + 150);
            assertThat(pat.getStatus().getLastUsedAt()).isEqualTo(status.getLastUsedAt());
            assertThat(pat.getStatus().getRecentClientIPs()).isEqualTo(status.getRecentClientIPs());
        } finally {
            second.close();
        }
    }
}
