package dev.kpat.admission;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** YAML from the repository (crds/, examples/) as plain maps, the shape CEL and JSON schema see. */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path REPO = Path.of("..");

    private Manifests() {
    }

    static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (var it = YAML.readerFor(new TypeReference<Map<String, Object>>() { }).readValues(file.toFile())) {
            while (it.hasNext()) {
                Map<String, Object> doc = (Map<String, Object>) it.next();
                if (doc != null) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    /** The openAPIV3Schema of the committed CRD in {@code crds/<file>}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> openApiSchema(String crdFile) throws IOException {
        Map<String, Object> crd = documents(REPO.resolve("crds").resolve(crdFile)).get(0);
        Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec"))
                .get("versions")).get(0);
        return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    }

    /** Every PersonalAccessToken manifest in examples/ (top level), by file name. */
    static Map<String, Map<String, Object>> examplePats() throws IOException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REPO.resolve("examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> doc : documents(f)) {
                    if ("PersonalAccessToken".equals(doc.get("kind"))) {
                        out.put(f.getFileName().toString(), doc);
                    }
                }
            }
        }
        return out;
    }

    /** A deep copy of a manifest with {@code edit} applied to its spec. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withSpec(Map<String, Object> manifest, Consumer<Map<String, Object>> edit) {
        Map<String, Object> copy = YAML.convertValue(manifest, new TypeReference<Map<String, Object>>() { });
        edit.accept((Map<String, Object>) copy.get("spec"));
        return copy;
    }

    static Map<String, Object> pat(String owner) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("owner", owner);
        spec.put("scopes", new ArrayList<>(List.of("read")));
        spec.put("ttl", "30d");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", "kpat.dev/v1alpha1");
        m.put("kind", "PersonalAccessToken");
        m.put("metadata", new LinkedHashMap<>(Map.of("name", "t", "namespace", "default")));
        m.put("spec", spec);
        return m;
    }
}
