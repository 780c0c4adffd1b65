package dev.kpat.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The chart helm/kpat rendered by real Helm (helm-java), as YAML text or as the objects it holds. */
public final class Chart {
    public static final Path DIR = Path.of("../helm/kpat");
    /** Every optional feature on: the values file ci/ keeps for it. */
    public static final Path ALL_FEATURES = DIR.resolve("ci/all-features-values.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String release;
    private final String namespace;
    private Path valuesFile;
    private final List<String> sets = new ArrayList<>();

    private Chart(String release, String namespace) {
        this.release = release;
        this.namespace = namespace;
    }

    /** Release {@code kpat} in {@code kpat-system}, the names crds/ and the tests' ChartRbac use. */
    public static Chart kpat() {
        return release("kpat", "kpat-system");
    }

    public static Chart release(String release, String namespace) {
        return new Chart(release, namespace);
    }

    public Chart values(Path file) {
        this.valuesFile = file;
        return this;
    }

    public Chart allFeatures() {
        return values(ALL_FEATURES);
    }

    /** {@code --set key=value}, in pairs. */
    public Chart set(String... keyValues) {
        sets.addAll(List.of(keyValues));
        return this;
    }

    /** The manifests, as {@code helm template} prints them; throws when Helm refuses the values. */
    public String yaml() {
        TemplateCommand template = new Helm(DIR).template().withName(release).withNamespace(namespace);
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        for (int i = 0; i < sets.size(); i += 2) {
            template.set(sets.get(i), sets.get(i + 1));
        }
        return template.call();
    }

    /** Every object rendered. */
    public List<JsonNode> objects() {
        return parse(yaml());
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The objects of {@code kind}. */
    public static List<JsonNode> all(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind").asText())).toList();
    }

    /** The one object of {@code kind} whose name ends with {@code nameSuffix}. */
    public static JsonNode one(List<JsonNode> docs, String kind, String nameSuffix) {
        Predicate<JsonNode> named = d -> d.at("/metadata/name").asText().endsWith(nameSuffix);
        List<JsonNode> found = all(docs, kind).stream().filter(named).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " *" + nameSuffix + ", found " + found.size());
        }
        return found.get(0);
    }

    /** A container's args as strings. */
    public static List<String> args(JsonNode workload) {
        List<String> args = new ArrayList<>();
        workload.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        return args;
    }
}
