package dev.kpat.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Argo CD health check and resource action of argocd/resource_customizations, run by a Lua engine against the
 * cases in their health_test.yaml and actions/action_test.yaml, read as Argo CD's own test suite reads them (so the
 * directory can be contributed upstream as it is). The argocd-cm example must carry the very same scripts.
 */
class ArgoCdCustomizationsTest {
    static final Path CUSTOMIZATIONS = Path.of("../argocd/resource_customizations").toAbsolutePath().normalize();
    static final Path PAT = CUSTOMIZATIONS.resolve("kpat.dev/PersonalAccessToken");
    private static final Path ARGOCD_CM = Path.of("../examples/argocd/argocd-cm.yaml");
    /** The action stamps the time it runs; Argo CD's tests normalize such values, and so do these. */
    private static final String ROTATE = "kpat.dev/rotate";
    private static final String NORMALIZED = "0001-01-01T00:00:00Z";

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @TestFactory
    Stream<DynamicTest> healthChecks() throws IOException {
        List<Map<String, Object>> tests = list(yaml(PAT.resolve("health_test.yaml")).get("tests"));
        assertThat(tests).extracting(t -> (Object) ((Map<?, ?>) t.get("healthStatus")).get("status"))
                .contains((Object) "Healthy", "Progressing", "Degraded", "Suspended");
        return tests.stream().map(t -> DynamicTest.dynamicTest((String) t.get("inputPath"), () -> {
            Object health = ArgoCdLua.run(PAT.resolve("health.lua"), yaml(PAT.resolve((String) t.get("inputPath"))));
            assertThat(health).isEqualTo(t.get("healthStatus"));
        }));
    }

    @Test
    void everyTestdataFileIsATestCase() throws IOException {
        List<String> inputs = list(yaml(PAT.resolve("health_test.yaml")).get("tests")).stream()
                .map(t -> (String) t.get("inputPath")).toList();
        try (Stream<Path> files = Files.list(PAT.resolve("testdata"))) {
            assertThat(files.map(f -> "testdata/" + f.getFileName())).containsExactlyInAnyOrderElementsOf(inputs);
        }
    }

    @TestFactory
    Stream<DynamicTest> actionDiscovery() throws IOException {
        Path actions = PAT.resolve("actions");
        return list(yaml(actions.resolve("action_test.yaml")).get("discoveryTests")).stream()
                .map(t -> DynamicTest.dynamicTest((String) t.get("inputPath"), () -> {
                    Object found = ArgoCdLua.run(actions.resolve("discovery.lua"),
                            yaml(actions.resolve((String) t.get("inputPath"))));
                    // discovery returns actions by name; Argo CD lists them with the name inside
                    List<Map<String, Object>> named = new ArrayList<>();
                    ((Map<?, ?>) found).forEach((name, action) -> {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("name", name);
                        ((Map<?, ?>) action).forEach((k, v) -> entry.put((String) k, v));
                        named.add(entry);
                    });
                    assertThat(named).containsExactlyInAnyOrderElementsOf(list(t.get("result")));
                }));
    }

    @TestFactory
    Stream<DynamicTest> actions() throws IOException {
        Path actions = PAT.resolve("actions");
        return list(yaml(actions.resolve("action_test.yaml")).get("actionTests")).stream()
                .map(t -> DynamicTest.dynamicTest(t.get("action") + " " + t.get("inputPath"), () -> {
                    Instant before = Instant.now().minusSeconds(1);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> out = (Map<String, Object>) ArgoCdLua.run(
                            actions.resolve(t.get("action") + "/action.lua"),
                            yaml(actions.resolve((String) t.get("inputPath"))));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) out
                            .get("metadata")).get("annotations");
                    Instant stamped = Instant.parse((String) annotations.get(ROTATE));
                    assertThat(stamped).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
                    annotations.put(ROTATE, NORMALIZED);
                    assertThat(tree(out)).isEqualTo(tree(yaml(actions.resolve((String) t.get("expectedOutputPath")))));
                }));
    }

    /** JSON trees compare numbers by value whatever Java type carried them. */
    private static JsonNode tree(Object o) throws IOException {
        return Serialization.jsonMapper().readTree(Serialization.jsonMapper().writeValueAsString(o));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theArgoCdConfigMapExampleCarriesTheSameScripts() throws IOException {
        Map<String, Object> data = (Map<String, Object>) yaml(ARGOCD_CM).get("data");
        assertThat(data.get("resource.customizations.health.kpat.dev_PersonalAccessToken"))
                .isEqualTo(Files.readString(PAT.resolve("health.lua")));
        Map<String, Object> actions = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString((String) data.get("resource.customizations.actions.kpat.dev_PersonalAccessToken"));
        assertThat(actions.get("discovery.lua")).isEqualTo(Files.readString(PAT.resolve("actions/discovery.lua")));
        assertThat(list(actions.get("definitions"))).singleElement().satisfies(d -> {
            assertThat(d.get("name")).isEqualTo("rotate");
            assertThat(d.get("action.lua")).isEqualTo(Files.readString(PAT.resolve("actions/rotate/action.lua")));
        });
    }
}
