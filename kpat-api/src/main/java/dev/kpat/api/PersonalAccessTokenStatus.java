package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written only by the operator. Holds no token value: only its id and a hint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersonalAccessTokenStatus {
    private Phase phase;
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Name of the current TokenRecord.")
    private String tokenId;
    @JsonPropertyDescription("Prefix and last 4 characters of the current value, e.g. kpat_…x9Qa.")
    private String tokenHint;
    private String secretName;
    private String issuedAt;
    @JsonPropertyDescription("When the current value expires (absent for non-expiring tokens).")
    private String expiresAt;
    @JsonPropertyDescription("When a scheduled rotation will issue the next value.")
    private String renewalTime;
    @JsonPropertyDescription("How many values have been issued for this token.")
    private Long revision;
    private String revokedAt;
    @JsonPropertyDescription("For a ServiceAccount owner: the uid of the ServiceAccount the token is bound to.")
    private String ownerUid;
    private Long observedGeneration;
    @JsonPropertyDescription("The last kpat.dev/rotate annotation value acted on.")
    private String observedRotateRequest;
    private String lastUsedAt;
    private Long usageCount;
    private List<String> recentClientIPs;
    @JsonPropertyDescription("While token policies hold the token back (phase Failed, reason PolicyViolation): each"
            + " policy and rule it breaks.")
    private List<PolicyBlock> blockedBy;

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getTokenId() {
        return tokenId;
    }

    public void setTokenId(String tokenId) {
        this.tokenId = tokenId;
    }

    public String getTokenHint() {
        return tokenHint;
    }

    public void setTokenHint(String tokenHint) {
        this.tokenHint = tokenHint;
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public String getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(String issuedAt) {
        this.issuedAt = issuedAt;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getRenewalTime() {
        return renewalTime;
    }

    public void setRenewalTime(String renewalTime) {
        this.renewalTime = renewalTime;
    }

    public Long getRevision() {
        return revision;
    }

    public void setRevision(Long revision) {
        this.revision = revision;
    }

    public String getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(String revokedAt) {
        this.revokedAt = revokedAt;
    }

    public String getOwnerUid() {
        return ownerUid;
    }

    public void setOwnerUid(String ownerUid) {
        this.ownerUid = ownerUid;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getObservedRotateRequest() {
        return observedRotateRequest;
    }

    public void setObservedRotateRequest(String observedRotateRequest) {
        this.observedRotateRequest = observedRotateRequest;
    }

    public String getLastUsedAt() {
        return lastUsedAt;
    }

    public void setLastUsedAt(String lastUsedAt) {
        this.lastUsedAt = lastUsedAt;
    }

    public Long getUsageCount() {
        return usageCount;
    }

    public void setUsageCount(Long usageCount) {
        this.usageCount = usageCount;
    }

    public List<String> getRecentClientIPs() {
        return recentClientIPs;
    }

    public void setRecentClientIPs(List<String> recentClientIPs) {
        this.recentClientIPs = recentClientIPs;
    }

    public List<PolicyBlock> getBlockedBy() {
        return blockedBy;
    }

    public void setBlockedBy(List<PolicyBlock> blockedBy) {
        this.blockedBy = blockedBy;
    }
}
