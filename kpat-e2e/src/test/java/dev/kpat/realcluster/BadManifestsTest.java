package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifests a user might write wrongly, applied with the real kubectl to the real API server: each is refused at
 * {@code kubectl apply} by the CRD schema, its CEL rules or the admission policy, and the test checks the line the
 * user reads. Updates apply a valid manifest first, then the bad change.
 */
@ExtendWith(RealCluster.class)
class BadManifestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "bad-manifests";
    private static final String MIB = "a".repeat(1024 * 1024);
    private static Kubectl kubectl;

    @BeforeAll
    static void namespace(LocalControlPlane plane) {
        kubectl = new Kubectl(plane, plane.adminKubeconfig());
        kubectl.run("create", "namespace", NS);
    }

    static Stream<Arguments> creates() {
        List<Arguments> cases = new ArrayList<>();
        // required fields and wrong types
        cases.add(create("owner missing", s -> s.remove("owner"), "spec.owner: Required value"));
        cases.add(create("scopes missing", s -> s.remove("scopes"), "spec.scopes: Required value"));
        cases.add(create("spec missing", s -> s.clear(), "Required value"));
        cases.add(create("owner empty", s -> s.put("owner", ""), "spec.owner: Invalid value"));
        cases.add(create("owner a number", s -> s.put("owner", 42), "spec.owner: Invalid value: \"integer\""));
        cases.add(create("scopes a string", s -> s.put("scopes", "read"), "spec.scopes: Invalid value: \"string\""));
        cases.add(create("scope a number", s -> s.put("scopes", List.of(1)), "must be of type string"));
        cases.add(create("revoked a string", s -> s.put("revoked", "yes"), "must be of type boolean"));
        cases.add(create("rotation a list", s -> s.put("rotation", List.of()), "spec.rotation: Invalid value"));
        cases.add(create("rotation.enabled a string", s -> s.put("rotation", Map.of("enabled", "true")),
                "must be of type boolean"));
        cases.add(create("unknown field", s -> s.put("ownr", "alice"), "unknown field \"spec.ownr\""));
        cases.add(create("label value a number", s -> s.put("secretTemplate", Map.of("labels", Map.of("a", 1))),
                "must be of type string"));
        // sizes
        cases.add(create("owner 254 characters", s -> s.put("owner", "a".repeat(254)), "spec.owner: Too long"));
        cases.add(create("owner 1 MiB", s -> s.put("owner", MIB), "spec.owner: Too long"));
        cases.add(create("description 257 characters", s -> s.put("description", "d".repeat(257)),
                "spec.description: Too long"));
        cases.add(create("description 1 MiB", s -> s.put("description", MIB), "spec.description: Too long"));
        cases.add(create("no scopes", s -> s.put("scopes", List.of()), "spec.scopes: Invalid value"));
        cases.add(create("65 scopes", s -> s.put("scopes", scopes(65)), "spec.scopes: Too many"));
        cases.add(create("10,000 scopes", s -> s.put("scopes", scopes(10_000)), "spec.scopes: Too many"));
        cases.add(create("a scope of 1 MiB", s -> s.put("scopes", List.of(MIB)), "Too long"));
        cases.add(create("secretName 254 characters", s -> s.put("secretName", "s".repeat(254)),
                "spec.secretName: Too long"));
        cases.add(create("ttl of 1 KiB", s -> s.put("ttl", "1h".repeat(512)), "spec.ttl: Too long"));
        cases.add(create("1,000 Secret labels", s -> s.put("secretTemplate", Map.of("labels", manyLabels(1000))),
                "spec.secretTemplate.labels: Too many"));
        // syntax of scopes, durations, dates and names
        cases.add(create("scope in capitals", s -> s.put("scopes", List.of("READ")), SCOPE_RULE));
        cases.add(create("scope with empty resource", s -> s.put("scopes", List.of("read:")), SCOPE_RULE));
        cases.add(create("scope with three parts", s -> s.put("scopes", List.of("read:tasks:all")), SCOPE_RULE));
        cases.add(create("empty scope", s -> s.put("scopes", List.of("")), "spec.scopes[0]"));
        cases.add(create("unicode scope", s -> s.put("scopes", List.of("lire:données")), SCOPE_RULE));
        cases.add(create("scope with a space", s -> s.put("scopes", List.of("read tasks")), SCOPE_RULE));
        cases.add(create("duplicate scopes", s -> s.put("scopes", List.of("read", "read")), "scopes must not repeat"));
        cases.add(create("ttl in words", s -> s.put("ttl", "5 days"), "spec.ttl in body should match"));
        cases.add(create("ttl without a unit", s -> s.put("ttl", "30"), "spec.ttl in body should match"));
        cases.add(create("negative ttl", s -> s.put("ttl", "-1h"), "spec.ttl in body should match"));
        cases.add(create("ttl in years", s -> s.put("ttl", "10y"), "spec.ttl in body should match"));
        cases.add(create("unicode ttl", s -> s.put("ttl", "１h"), "spec.ttl in body should match"));
        cases.add(create("expiresAt in words", s -> fixedExpiry(s, "tomorrow"), "spec.expiresAt"));
        cases.add(create("expiresAt an impossible date", s -> fixedExpiry(s, "2027-13-45T25:61:00Z"),
                "spec.expiresAt"));
        cases.add(create("expiresAt and ttl together", s -> {
            s.put("expiresAt", "2030-01-01T00:00:00Z");
            s.put("ttl", "30d");
        }, "set at most one of spec.expiresAt and spec.ttl"));
        cases.add(create("renewBefore in words", s -> s.put("rotation", Map.of("enabled", true, "renewBefore", "soon")),
                "spec.rotation.renewBefore in body should match"));
        cases.add(create("gracePeriod with a space", s -> s.put("rotation", Map.of("gracePeriod", "1 h")),
                "spec.rotation.gracePeriod in body should match"));
        cases.add(create("secretName with capitals", s -> s.put("secretName", "My_Secret"),
                "spec.secretName in body should match"));
        cases.add(Arguments.of("name with capitals", manifest("Bad-Name", base()), "RFC 1123"));
        cases.add(Arguments.of("name of 254 characters", manifest("n".repeat(254), base()),
                "must be no more than 253 characters"));
        // policies
        cases.add(Arguments.of("policy tokenPrefix in capitals", policy(Map.of("tokenPrefix", "CORP_")),
                "spec.tokenPrefix in body should match"));
        cases.add(Arguments.of("policy maxTokensPerOwner 0", policy(Map.of("maxTokensPerOwner", 0)),
                "spec.maxTokensPerOwner"));
        cases.add(Arguments.of("policy maxLifetime forever", policy(Map.of("maxLifetime", "forever")),
                "spec.maxLifetime in body should match"));
        cases.add(Arguments.of("policy allowedScopes a string", policy(Map.of("allowedScopes", "read")),
                "spec.allowedScopes: Invalid value"));
        return cases.stream();
    }

    private static final String SCOPE_RULE = "each scope is '*', 'action' or 'action:resource'";

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void refusedAtCreate(String what, String manifest, String message) {
        Kubectl.Result result = kubectl.runWithInput(manifest, "apply", "-n", NS, "-f", "-");
        assertThat(result.exitCode()).as(what + ": " + result).isNotZero();
        assertThat(result.err()).as(what).contains(message);
        assertThat(result.err().lines().count()).as(what + ": the user reads a short error").isLessThanOrEqualTo(4);
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                Arguments.of("owner changed", (Consumer<Map<String, Object>>) s -> s.put("owner", "mallory"),
                        "spec.owner is immutable"),
                Arguments.of("secretName changed", (Consumer<Map<String, Object>>) s -> s.put("secretName", "other"),
                        "spec.secretName is immutable"),
                Arguments.of("secretName added", (Consumer<Map<String, Object>>) s -> s.put("secretName", "added"),
                        "spec.secretName is immutable"),
                Arguments.of("un-revoked", (Consumer<Map<String, Object>>) s -> s.put("revoked", false),
                        "a revoked token is final"),
                Arguments.of("revoked token widened", (Consumer<Map<String, Object>>) s -> s.put("scopes",
                        List.of("*")), "a revoked token is final"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void refusedAtUpdate(String what, Consumer<Map<String, Object>> change, String message) {
        String name = "upd-" + Integer.toHexString(what.hashCode());
        Map<String, Object> spec = base();
        if (what.startsWith("un-revoked") || what.startsWith("revoked")) {
            spec.put("revoked", true);
        }
        if (!what.startsWith("secretName added")) {
            spec.put("secretName", name);
        }
        Kubectl.Result created = kubectl.runWithInput(manifest(name, spec), "apply", "-n", NS, "-f", "-");
        assertThat(created.ok()).as(created.toString()).isTrue();
        change.accept(spec);
        Kubectl.Result result = kubectl.runWithInput(manifest(name, spec), "apply", "-n", NS, "-f", "-");
        assertThat(result.exitCode()).as(what + ": " + result).isNotZero();
        assertThat(result.err()).as(what).contains(message);
    }

    private static Arguments create(String what, Consumer<Map<String, Object>> edit, String message) {
        Map<String, Object> spec = base();
        edit.accept(spec);
        return Arguments.of(what, manifest("bad-" + Integer.toHexString(what.hashCode()), spec), message);
    }

    private static Map<String, Object> base() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("owner", "kpat-admin");
        spec.put("scopes", new ArrayList<>(List.of("read")));
        spec.put("ttl", "1h");
        return spec;
    }

    private static void fixedExpiry(Map<String, Object> spec, String expiresAt) {
        spec.remove("ttl");
        spec.put("expiresAt", expiresAt);
    }

    private static List<String> scopes(int n) {
        return IntStream.range(0, n).mapToObj(i -> "read:r" + i).toList();
    }

    private static Map<String, String> manyLabels(int n) {
        Map<String, String> labels = new LinkedHashMap<>();
        IntStream.range(0, n).forEach(i -> labels.put("l" + i, "v"));
        return labels;
    }

    private static String manifest(String name, Map<String, Object> spec) {
        return json(Map.of("apiVersion", "kpat.dev/v1alpha1", "kind", "PersonalAccessToken",
                "metadata", Map.of("name", name, "namespace", NS), "spec", spec));
    }

    private static String policy(Map<String, Object> spec) {
        return json(Map.of("apiVersion", "kpat.dev/v1alpha1", "kind", "TokenPolicy",
                "metadata", Map.of("name", "bad-" + Integer.toHexString(spec.hashCode()), "namespace", NS),
                "spec", spec));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
