package dev.kpat.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Machine-readable output: JSON as {@code kubectl -o json} indents it, YAML, and kubectl's List envelope. */
final class Output {
    private static final ObjectMapper JSON = Serialization.jsonMapper().copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /**
     * Block style, no document marker, no folded lines, as kubectl -o yaml reads; the core schema quotes strings
     * such as "True" that a YAML parser would otherwise read as booleans or numbers.
     */
    private static final DumpSettings YAML = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setSplitLines(false).setSchema(new CoreSchema()).build();

    private Output() {
    }

    /** Kubernetes objects as kubectl prints a list of them, without managedFields (as kubectl hides them). */
    static Object list(List<? extends HasMetadata> items) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("items", items.stream().map(Output::withoutManagedFields).toList());
        list.put("metadata", Map.of("resourceVersion", ""));
        return list;
    }

    private static JsonNode withoutManagedFields(HasMetadata item) {
        JsonNode tree = JSON.valueToTree(item);
        if (tree.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return tree;
    }

    static void print(PrintWriter out, OutputFormat format, Object value) throws JsonProcessingException {
        switch (format) {
            case json -> out.println(JSON.writeValueAsString(value));
            case yaml -> out.print(new Dump(YAML).dumpToString(JSON.convertValue(value, Object.class)));
            default -> throw new IllegalArgumentException("not a structured format: " + format);
        }
    }

    /** {@code -o name}: {@code personalaccesstoken.kpat.dev/NAME}, as kubectl prints it. */
    static String name(String token) {
        return "personalaccesstoken.kpat.dev/" + token;
    }
}
