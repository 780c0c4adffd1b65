package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** Guard rails for the tokens a policy governs. Every field is optional; where several policies apply, the most
 * restrictive value of each field wins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenPolicySpec {
    @JsonPropertyDescription("Scopes tokens may carry, as patterns: 'read', 'read:*', 'write:tasks', '*:tasks'. Absent: any.")
    private List<String> allowedScopes;

    @JsonPropertyDescription("Scopes tokens must not carry, as patterns (e.g. 'admin:*').")
    private List<String> deniedScopes;

    @JsonPropertyDescription("Whether the '*' scope is allowed (default false).")
    private Boolean allowWildcardScope;

    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Longest lifetime a token may have, e.g. 90d.")
    private String maxLifetime;

    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Lifetime of tokens that set neither expiresAt nor ttl.")
    private String defaultLifetime;

    @JsonPropertyDescription("Whether tokens must expire (default true): 'ttl: never' is refused.")
    private Boolean requireExpiry;

    @JsonPropertyDescription("Who tokens may act for, as patterns: user names, 'system:serviceaccount:<ns>:<name>',"
            + " or 'group:<group>' for the groups the owner name implies (system:serviceaccounts[:<ns>]).")
    private List<String> allowedOwners;

    @Pattern("^[a-z][a-z0-9]{1,9}_$")
    @JsonPropertyDescription("Prefix of the values issued for governed tokens.")
    private String tokenPrefix;

    @JsonPropertyDescription("Rotation for governed tokens that do not configure their own.")
    private RotationSpec rotation;

    @JsonPropertyDescription("Governed tokens revoke their current value when a value revoked after a leak is"
            + " presented (as spec.rotation.revokeOnReuse); a token cannot turn it off.")
    private Boolean revokeOnReuse;

    @Min(1)
    @JsonPropertyDescription("How many live tokens one owner may have among the tokens this policy governs.")
    private Integer maxTokensPerOwner;

    public List<String> getAllowedScopes() {
        return allowedScopes;
    }

    public void setAllowedScopes(List<String> allowedScopes) {
        this.allowedScopes = allowedScopes;
    }

    public List<String> getDeniedScopes() {
        return deniedScopes;
    }

    public void setDeniedScopes(List<String> deniedScopes) {
        this.deniedScopes = deniedScopes;
    }

    public Boolean getAllowWildcardScope() {
        return allowWildcardScope;
    }

    public void setAllowWildcardScope(Boolean allowWildcardScope) {
        this.allowWildcardScope = allowWildcardScope;
    }

    public String getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(String maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public String getDefaultLifetime() {
        return defaultLifetime;
    }

    public void setDefaultLifetime(String defaultLifetime) {
        this.defaultLifetime = defaultLifetime;
    }

    public Boolean getRequireExpiry() {
        return requireExpiry;
    }

    public void setRequireExpiry(Boolean requireExpiry) {
        this.requireExpiry = requireExpiry;
    }

    public List<String> getAllowedOwners() {
        return allowedOwners;
    }

    public void setAllowedOwners(List<String> allowedOwners) {
        this.allowedOwners = allowedOwners;
    }

    public String getTokenPrefix() {
        return tokenPrefix;
    }

    public void setTokenPrefix(String tokenPrefix) {
        this.tokenPrefix = tokenPrefix;
    }

    public RotationSpec getRotation() {
        return rotation;
    }

    public void setRotation(RotationSpec rotation) {
        this.rotation = rotation;
    }

    public Boolean getRevokeOnReuse() {
        return revokeOnReuse;
    }

    public void setRevokeOnReuse(Boolean revokeOnReuse) {
        this.revokeOnReuse = revokeOnReuse;
    }

    public Integer getMaxTokensPerOwner() {
        return maxTokensPerOwner;
    }

    public void setMaxTokensPerOwner(Integer maxTokensPerOwner) {
        this.maxTokensPerOwner = maxTokensPerOwner;
    }
}
