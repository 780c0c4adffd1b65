package dev.kpat.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code x-kubernetes-validations} rule of the committed PersonalAccessToken CRD, evaluated with CEL at the
 * node it is attached to, the way the API server does: {@code self} is that node's value, and rules that use
 * {@code oldSelf} (transition rules) run only on updates where the old value exists.
 */
class CrdValidationRulesTest {
    private static final Cel CEL = new Cel(List.of("self", "oldSelf"));
    private static Map<String, Object> schema;

    @BeforeAll
    static void load() throws Exception {
        schema = Manifests.openApiSchema("personalaccesstokens.kpat.dev-v1.yml");
    }

    /** Messages of every rule the object breaks (against {@code old} for an update; null for a create). */
    private static List<String> violations(Map<String, Object> object, Map<String, Object> old) {
        List<String> out = new ArrayList<>();
        walk(schema, object, old, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Map<String, Object> node, Object value, Object old, List<String> out) {
        if (value == null) {
            return;
        }
        for (Map<String, Object> rule : (List<Map<String, Object>>) node.getOrDefault("x-kubernetes-validations",
                List.of())) {
            String expression = (String) rule.get("rule");
            boolean transition = expression.contains("oldSelf");
            if (transition && old == null) {
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", Cel.celValues(value));
            vars.put("oldSelf", transition ? Cel.celValues(old) : com.google.protobuf.NullValue.NULL_VALUE);
            if (!CEL.holds(expression, vars)) {
                out.add((String) rule.get("message"));
            }
        }
        Map<String, Object> properties = (Map<String, Object>) node.get("properties");
        if (properties != null && value instanceof Map<?, ?> map) {
            properties.forEach((name, child) -> walk((Map<String, Object>) child, map.get(name),
                    old instanceof Map<?, ?> o ? o.get(name) : null, out));
        }
    }

    @Test
    void examplesPassOnCreateAndOnANoOpUpdate() throws Exception {
        var examples = Manifests.examplePats();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        examples.forEach((file, pat) -> {
            assertThat(violations(pat, null)).as(file).isEmpty();
            assertThat(violations(pat, pat)).as(file).isEmpty();
        });
    }

    @Test
    void badInputsOnCreateAreRejectedWithTheirMessage() {
        var base = Manifests.pat("alice");
        assertThat(violations(Manifests.withSpec(base, s -> s.put("expiresAt", "2027-01-01T00:00:00Z")), null))
                .containsExactly("set at most one of spec.expiresAt and spec.ttl");
        assertThat(violations(Manifests.withSpec(base, s -> s.put("scopes", List.of("Read", "write tasks"))), null))
                .containsExactly("each scope is '*', 'action' or 'action:resource' with lowercase words [a-z0-9-]");
        assertThat(violations(Manifests.withSpec(base, s -> s.put("scopes", List.of("read", "read"))), null))
                .containsExactly("scopes must not repeat");
        assertThat(violations(Manifests.withSpec(base, s -> s.put("scopes", List.of("*", "write:tasks", "a-1:b-2"))),
                null)).isEmpty();
        // the largest list the schema admits (64 distinct scopes of 128 characters) passes; one repeat fails
        List<String> largest = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            largest.add(String.format("%03d:", i) + "x".repeat(124));
        }
        assertThat(largest).allMatch(s -> s.length() == 128);
        assertThat(violations(Manifests.withSpec(base, s -> s.put("scopes", largest)), null)).isEmpty();
        List<String> repeated = new ArrayList<>(largest);
        repeated.set(63, largest.get(0));
        assertThat(violations(Manifests.withSpec(base, s -> s.put("scopes", repeated)), null))
                .containsExactly("scopes must not repeat");
    }

    @Test
    void transitionRulesGuardUpdates() {
        var old = Manifests.pat("alice");
        assertThat(violations(Manifests.withSpec(old, s -> s.put("owner", "bob")), old))
                .containsExactly("spec.owner is immutable");
        assertThat(violations(Manifests.withSpec(old, s -> s.put("secretName", "other")), old))
                .containsExactly("spec.secretName is immutable");
        var revoked = Manifests.withSpec(old, s -> s.put("revoked", true));
        assertThat(violations(revoked, old)).isEmpty();
        assertThat(violations(Manifests.withSpec(revoked, s -> s.put("revoked", false)), revoked))
                .containsExactly("a revoked token is final: spec.revoked cannot be set back to false and the spec"
                        + " cannot change");
        assertThat(violations(Manifests.withSpec(revoked, s -> s.put("ttl", "60d")), revoked))
                .containsExactly("a revoked token is final: spec.revoked cannot be set back to false and the spec"
                        + " cannot change");
        assertThat(violations(Manifests.withSpec(old, s -> s.put("ttl", "60d")), old)).isEmpty();
    }
}
