package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One rule of one policy that holds a token back: what {@code status.blockedBy} lists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyBlock {
    @JsonPropertyDescription("TokenPolicy or ClusterTokenPolicy.")
    private String kind;
    @JsonPropertyDescription("The TokenPolicy's namespace; absent for a ClusterTokenPolicy.")
    private String namespace;
    private String name;
    @JsonPropertyDescription("The policy field the token breaks, e.g. maxLifetime or deniedScopes.")
    private String rule;

    public PolicyBlock() {
    }

    public PolicyBlock(String kind, String namespace, String name, String rule) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.rule = rule;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }
}
