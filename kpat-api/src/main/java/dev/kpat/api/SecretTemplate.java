package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * Labels and annotations copied onto the Secret. Bounded (entry count and value length) so the CEL rules that compare
 * the whole spec stay within the API server's cost budget.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTemplate {
    public static final int MAX_ENTRIES = 64;
    /** A label value is at most 63 characters anyway. */
    public static final int MAX_LABEL_VALUE_LENGTH = 63;
    public static final int MAX_ANNOTATION_VALUE_LENGTH = 4096;

    @Size(max = MAX_ENTRIES)
    @JsonPropertyDescription("Labels copied onto the Secret (kpat's own keys win).")
    private Map<String, @Size(max = MAX_LABEL_VALUE_LENGTH) String> labels;

    @Size(max = MAX_ENTRIES)
    @JsonPropertyDescription("Annotations copied onto the Secret (kpat's own keys win).")
    private Map<String, @Size(max = MAX_ANNOTATION_VALUE_LENGTH) String> annotations;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
