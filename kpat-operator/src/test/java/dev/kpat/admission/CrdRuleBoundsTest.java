package dev.kpat.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real API server estimates the worst-case cost of each {@code x-kubernetes-validations} rule from the schema's
 * bounds and refuses the CRD when a rule could exceed 10^7 cost units (or all rules together 10^8). An unbounded
 * string or list below a rule makes that estimate huge (the server assumes a value as large as a whole request), so
 * every string, list and map a rule can reach must carry maxLength, maxItems or maxProperties.
 *
 * <p>With the bounds of the PersonalAccessToken CRD (64 scopes of at most 128 characters), Kubernetes 1.34's
 * estimator puts the scope-uniqueness rule at about 2.8·10^5 and the whole CRD at about 3·10^5; without the
 * item bound it was 1.3·10^9.
 */
class CrdRuleBoundsTest {
    @Test
    void everyValueARuleReachesIsBounded() throws IOException {
        List<Path> crds;
        try (Stream<Path> files = Files.list(Manifests.REPO.resolve("crds"))) {
            crds = files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
        }
        assertThat(crds).hasSizeGreaterThanOrEqualTo(4);
        List<String> unbounded = new ArrayList<>();
        int rules = 0;
        for (Path crd : crds) {
            rules += check(Manifests.openApiSchema(crd.getFileName().toString()), crd.getFileName() + ":", false,
                    unbounded);
        }
        assertThat(rules).as("rules found").isGreaterThanOrEqualTo(5);
        assertThat(unbounded).as("unbounded values under a CEL rule").isEmpty();
    }

    /** Walks the schema; below a node that carries rules, every string, list and map must be bounded. */
    @SuppressWarnings("unchecked")
    private static int check(Map<String, Object> node, String path, boolean underRule, List<String> unbounded) {
        boolean hasRules = node.containsKey("x-kubernetes-validations");
        int rules = hasRules ? ((List<?>) node.get("x-kubernetes-validations")).size() : 0;
        boolean inScope = underRule || hasRules;
        String type = (String) node.get("type");
        if (inScope) {
            if ("string".equals(type) && !node.containsKey("maxLength") && !node.containsKey("enum")) {
                unbounded.add(path + " (string without maxLength)");
            }
            if ("array".equals(type) && !node.containsKey("maxItems")) {
                unbounded.add(path + " (list without maxItems)");
            }
            if (node.containsKey("additionalProperties") && !node.containsKey("maxProperties")) {
                unbounded.add(path + " (map without maxProperties)");
            }
            if (Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"))) {
                unbounded.add(path + " (free-form object)");
            }
        }
        var properties = (Map<String, Map<String, Object>>) node.getOrDefault("properties", Map.of());
        for (var p : properties.entrySet()) {
            rules += check(p.getValue(), path + "." + p.getKey(), inScope, unbounded);
        }
        if (node.get("items") instanceof Map<?, ?> items) {
            rules += check((Map<String, Object>) items, path + "[]", inScope, unbounded);
        }
        if (node.get("additionalProperties") instanceof Map<?, ?> values) {
            rules += check((Map<String, Object>) values, path + "{}", inScope, unbounded);
        }
        return rules;
    }
}
