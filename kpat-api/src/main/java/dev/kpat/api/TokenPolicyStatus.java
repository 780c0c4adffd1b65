package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenPolicyStatus {
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("PersonalAccessTokens this policy applies to.")
    private Integer governedTokens;
    @JsonPropertyDescription("Governed tokens this policy currently blocks or keeps from being issued.")
    private Integer blockedTokens;
    private Long observedGeneration;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Integer getGovernedTokens() {
        return governedTokens;
    }

    public void setGovernedTokens(Integer governedTokens) {
        this.governedTokens = governedTokens;
    }

    public Integer getBlockedTokens() {
        return blockedTokens;
    }

    public void setBlockedTokens(Integer blockedTokens) {
        this.blockedTokens = blockedTokens;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
