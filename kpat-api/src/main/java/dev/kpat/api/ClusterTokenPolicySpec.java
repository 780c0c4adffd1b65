package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** A TokenPolicy for every namespace its selector matches (all namespaces when the selector is absent or empty). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterTokenPolicySpec extends TokenPolicySpec {
    @JsonPropertyDescription("Namespaces whose tokens this policy governs; absent or empty: every namespace.")
    private LabelSelector namespaceSelector;

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }
}
