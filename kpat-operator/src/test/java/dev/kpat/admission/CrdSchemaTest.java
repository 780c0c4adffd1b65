package dev.kpat.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI part of the committed CRD (required, patterns, lengths, item counts), checked with a JSON-schema
 * validator against the examples and a table of bad inputs, as the API server's schema validation would.
 */
class CrdSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void load() throws Exception {
        schema = schemaOf("personalaccesstokens.kpat.dev-v1.yml");
    }

    private static JsonSchema schemaOf(String crdFile) throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(JSON.valueToTree(Manifests.openApiSchema(crdFile)));
    }

    private static List<String> errors(Map<String, Object> object) throws Exception {
        return schema.validate(JSON.valueToTree(object)).stream()
                .map(e -> e.getInstanceLocation() + " " + e.getType()).toList();
    }

    @Test
    void examplesAreValid() throws Exception {
        for (var e : Manifests.examplePats().entrySet()) {
            assertThat(errors(e.getValue())).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void policyExamplesMatchTheirCrds() throws Exception {
        Map<String, String> crdOf = Map.of("TokenPolicy", "tokenpolicies.kpat.dev-v1.yml",
                "ClusterTokenPolicy", "clustertokenpolicies.kpat.dev-v1.yml");
        int checked = 0;
        try (var files = java.nio.file.Files.list(Manifests.REPO.resolve("examples/policies"))) {
            for (var f : files.sorted().toList()) {
                for (Map<String, Object> doc : Manifests.documents(f)) {
                    var policySchema = schemaOf(crdOf.get((String) doc.get("kind")));
                    assertThat(policySchema.validate(JSON.valueToTree(doc))).as(f.toString()).isEmpty();
                    assertThat(dev.kpat.policy.PolicyValidation.problems(JSON.convertValue(doc.get("spec"),
                            dev.kpat.api.ClusterTokenPolicySpec.class))).as(f.toString()).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
        var bad = Map.<String, Object>of("apiVersion", "kpat.dev/v1alpha1", "kind", "TokenPolicy",
                "metadata", Map.of("name", "x"), "spec", Map.of("tokenPrefix", "Corp-", "maxLifetime", "a while"));
        assertThat(schemaOf("tokenpolicies.kpat.dev-v1.yml").validate(JSON.valueToTree(bad)).stream().map(e -> e.getInstanceLocation() + " " + e.getType()))
                .containsExactlyInAnyOrder("$.spec.tokenPrefix pattern", "$.spec.maxLifetime pattern");
    }

    @Test
    void badInputsNameTheFieldAndTheRule() throws Exception {
        var base = Manifests.pat("alice");
        assertThat(errors(Manifests.withSpec(base, s -> s.remove("owner")))).containsExactly("$.spec required");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("owner", "")))).containsExactly("$.spec.owner minLength");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("description", "x".repeat(257)))))
                .containsExactly("$.spec.description maxLength");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("scopes", List.of()))))
                .containsExactly("$.spec.scopes minItems");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("ttl", "a month"))))
                .containsExactly("$.spec.ttl pattern");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("ttl", "never")))).isEmpty();
        assertThat(errors(Manifests.withSpec(base, s -> {
            s.remove("ttl");
            s.put("expiresAt", "next tuesday");
        }))).containsExactly("$.spec.expiresAt pattern");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("secretName", "Not_A_Name"))))
                .containsExactly("$.spec.secretName pattern");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("rotation", Map.of("gracePeriod", "soon")))))
                .containsExactly("$.spec.rotation.gracePeriod pattern");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("revoked", "yes"))))
                .containsExactly("$.spec.revoked type");
    }

    @Test
    void everythingTheCelRulesReachIsBounded() throws Exception {
        var base = Manifests.pat("alice");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("scopes", List.of("read:" + "x".repeat(123))))))
                .isEmpty();
        assertThat(errors(Manifests.withSpec(base, s -> s.put("scopes", List.of("read:" + "x".repeat(124))))))
                .containsExactly("$.spec.scopes[0] maxLength");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("scopes",
                java.util.stream.IntStream.range(0, 65).mapToObj(i -> "s" + i).toList()))))
                .containsExactly("$.spec.scopes maxItems");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("ttl", "1h".repeat(33)))))
                .containsExactly("$.spec.ttl maxLength");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("rotation", Map.of("renewBefore", "1m".repeat(33))))))
                .containsExactly("$.spec.rotation.renewBefore maxLength");
        Map<String, Object> manyLabels = new java.util.LinkedHashMap<>();
        java.util.stream.IntStream.range(0, 65).forEach(i -> manyLabels.put("l" + i, "v"));
        assertThat(errors(Manifests.withSpec(base, s -> s.put("secretTemplate", Map.of("labels", manyLabels)))))
                .containsExactly("$.spec.secretTemplate.labels maxProperties");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("secretTemplate",
                Map.of("labels", Map.of("team", "x".repeat(64)))))))
                .containsExactly("$.spec.secretTemplate.labels.team maxLength");
        assertThat(errors(Manifests.withSpec(base, s -> s.put("secretTemplate",
                Map.of("annotations", Map.of("note", "x".repeat(4097)))))))
                .containsExactly("$.spec.secretTemplate.annotations.note maxLength");
    }
}
