package dev.kpat.fuzz;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.testing.LogCapture;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A verifier server for fuzzing: plain HTTP on loopback, an index with an active and a revoked token, an
 * introspection client, webhook routes open (so bodies reach their parsers), loopback a trusted proxy (so
 * X-Forwarded-For is parsed), failure limits high enough that fuzzing is not answered 429 throughout.
 */
final class FuzzedVerifier implements AutoCloseable {
    /** Anything shaped like a token of any prefix; a match is a leak only if its checksum holds. */
    private static final Pattern TOKEN_SHAPED = Pattern.compile("[a-z][a-z0-9]{1,9}_[0-9A-Za-z]{38}");
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String CLIENT_ID = "rs";
    private static final String CLIENT_SECRET = "fuzz-client-secret";

    private final String active;
    private final String revoked;
    private final String basic = Base64.getEncoder()
            .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    private final ByteArrayOutputStream auditOut = new ByteArrayOutputStream();
    private final AuditLog audit = AuditLog.to(new SynchronizedOut(auditOut));
    private final LogCapture logs = LogCapture.start();
    private final VerifierServer server;

    private FuzzedVerifier() throws Exception {
        TokenFormat format = new TokenFormat("kpat_");
        active = format.generate().reveal();
        revoked = format.generate().reveal();
        TokenIndex index = new TokenIndex();
        index.upsert(record("tok-active", active, null));
        index.upsert(record("tok-revoked", revoked, NOW.minusSeconds(60)));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        server = new VerifierServer(new TokenVerifier(index, clock), new UsageTracker(), audit,
                new ClientAddress(List.of("127.0.0.1/32")), new FailureLimits(1_000_000_000L, 1_000_000_000L, clock),
                ApiServerCallers.anyone(),
                new IntrospectionCallers((id, secret) -> id.equals(CLIENT_ID) && secret.equals(CLIENT_SECRET), null),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, clock)
                .start(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    }

    static FuzzedVerifier start() throws Exception {
        return new FuzzedVerifier();
    }

    int port() {
        return server.port();
    }

    String basic() {
        return basic;
    }

    /** The input with its placeholders replaced by the real values. */
    String substitute(String input) {
        return input.replace("$ACTIVE", active).replace("$REVOKED", revoked).replace("$BASIC", basic);
    }

    /** No known value, and no well-formed token of the request, appears in {@code answer}. */
    void assertNoTokenIn(String answer, String request) {
        if (answer.contains(active) || answer.contains(revoked)) {
            throw new AssertionError("the answer contains a token value (not shown)");
        }
        Matcher m = TOKEN_SHAPED.matcher(request);
        while (m.find()) {
            if (TokenFormat.isWellFormedAnyPrefix(m.group()) && answer.contains(m.group())) {
                throw new AssertionError("the answer echoes a token of the request (not shown)");
            }
        }
    }

    /** Bad input is answered, not logged: no WARN or ERROR line (a stack trace per request fills the log). */
    void assertNothingLogged() {
        List<String> lines = logs.matching(Pattern.compile("^(WARN|ERROR) "));
        logs.clear();
        if (!lines.isEmpty()) {
            // exception class names only: messages may hold the request
            throw new AssertionError("bad input was logged: " + lines.stream()
                    .map(l -> l.substring(0, Math.min(l.length(), 80))).toList());
        }
    }

    /** No audit line written so far holds a value; checked lines are dropped. */
    void assertNoTokenInAudit() {
        String lines;
        synchronized (auditOut) {
            lines = auditOut.toString(StandardCharsets.UTF_8);
            auditOut.reset();
        }
        Matcher m = TOKEN_SHAPED.matcher(lines);
        while (m.find()) {
            if (TokenFormat.isWellFormedAnyPrefix(m.group())) {
                throw new AssertionError("an audit line contains a token value (not shown)");
            }
        }
    }

    private static TokenRecord record(String name, String value, Instant revokedAt) {
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(name).build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(TokenHash.of(value));
        spec.setTokenRef(new TokenRef("team-a", name, "uid-" + name));
        spec.setOwner("alice");
        spec.setScopes(List.of("read", "write:pods"));
        spec.setIssuedAt(NOW.minusSeconds(3600).toString());
        spec.setExpiresAt(NOW.plusSeconds(3600).toString());
        if (revokedAt != null) {
            spec.setRevokedAt(revokedAt.toString());
            spec.setRevocationReason("ManualRotation");
        }
        r.setSpec(spec);
        return r;
    }

    @Override
    public void close() {
        server.close();
        audit.close();
        logs.close();
    }

    /** The audit sink writes from its own thread; the test reads between exchanges. */
    private static final class SynchronizedOut extends java.io.OutputStream {
        private final ByteArrayOutputStream target;

        SynchronizedOut(ByteArrayOutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (target) {
                target.write(b, off, len);
            }
        }
    }
}
