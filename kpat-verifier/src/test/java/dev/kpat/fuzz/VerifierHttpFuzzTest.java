package dev.kpat.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kpat.testing.RawHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer fuzz targets for the verifier's HTTP handling, over a real socket to a real {@link
 * dev.kpat.verify.http.VerifierServer}: request lines, headers (Authorization, X-Forwarded-For, Content-Type,
 * lengths) and the JSON bodies of TokenReview, SubjectAccessReview and introspection. Property: every request is
 * answered (or the connection closed) within 5 s, never with a 5xx, never with a token value or a stack trace in the
 * answer, no token value reaches an audit line, and nothing is logged at WARN or above. The committed inputs
 * under {@code VerifierHttpFuzzTestInputs/} run as regression tests in every build; {@code JAZZER_FUZZ=1} fuzzes
 * (RELIABILITY.md).
 */
class VerifierHttpFuzzTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static FuzzedVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        verifier = FuzzedVerifier.start();
    }

    /**
     * The Jazzer agent (installed when the first fuzz test runs, so not yet in {@code @BeforeAll}) reports any
     * network connection as SSRF unless allowed: this target's are all to its own server on loopback.
     */
    private static void allowLoopback() {
        BugDetectors.allowNetworkConnections((host, port) -> port == verifier.port()
                && (host.equals("127.0.0.1") || host.equals("localhost")));
    }

    @AfterAll
    static void stop() {
        verifier.close();
    }

    /**
     * A request as text: {@code METHOD TARGET}, header lines, an empty line, the body. {@code $ACTIVE},
     * {@code $REVOKED} and {@code $BASIC} stand for an active token, a revoked one and a registered introspection
     * client's Basic credentials, so inputs reach every decision. A Content-Length is added unless the input sets a
     * length itself; the bytes go on the wire as they are.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"$ACTIVE", "$REVOKED", "$BASIC", "POST ", "GET ", "/v1/tokenreviews", "/v1/introspect",
        "/v1/subjectaccessreviews", "/v1/auth", "?scope=", "Authorization: Bearer ", "Authorization: Basic ",
        "Content-Type: application/json", "Content-Type: application/x-www-form-urlencoded",
        "X-Forwarded-For: ", "Transfer-Encoding: chunked", "Content-Length: ", "\"apiVersion\"",
        "\"kind\"", "\"spec\"", "\"token\"", "\"extra\"", "\"kpat.dev/scopes\"", "\"kpat.dev/token-id\"",
        "\"resourceAttributes\"", "\"nonResourceAttributes\"", "authentication.k8s.io/v1", "TokenReview",
        "authorization.k8s.io/v1", "SubjectAccessReview", "token="})
    void rawRequests(byte[] data) {
        allowLoopback();
        String text = verifier.substitute(new String(data, StandardCharsets.ISO_8859_1));
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        byte[] body = (split < 0 ? "" : text.substring(split + 2)).getBytes(StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\n", -1);
        StringBuilder headers = new StringBuilder();
        boolean hasLength = false;
        for (int i = 1; i < lines.length; i++) {
            String lower = lines[i].toLowerCase(Locale.ROOT);
            hasLength |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
            headers.append(lines[i]).append("\r\n");
        }
        if (!hasLength) {
            headers.append("Content-Length: ").append(body.length).append("\r\n");
        }
        check(RawHttp.exchange(verifier.port(), RawHttp.request(lines[0] + " HTTP/1.1", headers.toString(), body),
                ANSWER_WITHIN), text);
    }

    /**
     * Structured bodies: JSON trees of the keys and values the three JSON endpoints read, in any types and
     * nesting, so every branch of their parsing is reached. Well-formed JSON gets 200 or 400, nothing else.
     */
    @FuzzTest(maxDuration = "5m")
    void jsonBodies(FuzzedDataProvider data) {
        allowLoopback();
        String path = data.pickValue(List.of("/v1/tokenreviews", "/v1/subjectaccessreviews", "/v1/introspect"));
        JsonObject body = new JsonObject();
        body.put("apiVersion", data.consumeBoolean() ? data.pickValue(JsonTrees.API_VERSIONS) : JsonTrees.value(data, 2));
        body.put("kind", data.consumeBoolean() ? data.pickValue(JsonTrees.KINDS) : JsonTrees.value(data, 2));
        int more = data.consumeInt(0, 4);
        for (int i = 0; i < more; i++) {
            body.put(data.pickValue(JsonTrees.KEYS), JsonTrees.value(data, 0));
        }
        if (data.consumeBoolean()) {
            body.put("token", verifier.substitute(data.pickValue(JsonTrees.TOKENS)));
        }
        String encoded = verifier.substitute(body.encode());
        String headers = "Content-Type: application/json\r\n"
                + (path.equals("/v1/introspect") ? "Authorization: Basic " + verifier.basic() + "\r\n" : "")
                + "Content-Length: " + encoded.getBytes(StandardCharsets.UTF_8).length + "\r\n";
        RawHttp.Response r = RawHttp.exchange(verifier.port(), RawHttp.request("POST " + path + " HTTP/1.1", headers,
                encoded.getBytes(StandardCharsets.UTF_8)), ANSWER_WITHIN);
        check(r, encoded);
        if (encoded.length() < 16 * 1024) {
            assertThat(r.status()).as("well-formed JSON of a few KB").isIn(200, 400);
        }
    }

    private static void check(RawHttp.Response r, String request) {
        assertThat(r.timedOut()).as("answered or closed within " + ANSWER_WITHIN).isFalse();
        assertThat(r.status()).as("never a server error").isLessThan(500);
        verifier.assertNoTokenIn(r.all(), request);
        assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
        verifier.assertNoTokenInAudit();
        verifier.assertNothingLogged();
    }

    /** Random JSON values over the vocabulary the endpoints read. */
    static final class JsonTrees {
        static final List<String> API_VERSIONS = List.of("authentication.k8s.io/v1", "authentication.k8s.io/v1beta1",
                "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "v1", "");
        static final List<String> KINDS = List.of("TokenReview", "SubjectAccessReview", "tokenreview", "");
        static final List<String> KEYS = List.of("spec", "token", "extra", "kpat.dev/scopes", "kpat.dev/token-id",
                "resourceAttributes", "nonResourceAttributes", "verb", "group", "resource", "subresource", "path",
                "user", "groups", "status", "namespace", "name", "audiences", "uid");
        static final List<String> TOKENS = List.of("$ACTIVE", "$REVOKED", "kpat_", "", "*", "read", "write:pods",
                "admin", "get", "delete", "pods", "apps", "/api", "/healthz/../secrets", "log");

        private JsonTrees() {
        }

        static Object value(FuzzedDataProvider data, int depth) {
            switch (data.consumeInt(0, depth >= 3 ? 4 : 6)) {
                case 0:
                    return null;
                case 1:
                    return data.consumeBoolean();
                case 2:
                    return data.consumeLong();
                case 3:
                    return data.consumeRegularDouble();
                case 4:
                    return data.consumeBoolean() ? data.pickValue(TOKENS) : data.consumeString(40);
                case 5: {
                    JsonArray array = new JsonArray();
                    int n = data.consumeInt(0, 4);
                    for (int i = 0; i < n; i++) {
                        array.add(value(data, depth + 1));
                    }
                    return array;
                }
                default: {
                    JsonObject object = new JsonObject();
                    int n = data.consumeInt(0, 5);
                    for (int i = 0; i < n; i++) {
                        object.put(data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(12),
                                value(data, depth + 1));
                    }
                    return object;
                }
            }
        }
    }
}
