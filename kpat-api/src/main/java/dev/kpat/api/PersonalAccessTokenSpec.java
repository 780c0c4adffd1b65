package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The spec of a PersonalAccessToken. A real API server estimates the cost of every CEL rule from the schema's bounds
 * and refuses a CRD whose rules could cost too much, so every string, list and map a rule reaches is bounded: the
 * spec-level rule {@code self == oldSelf} compares all of them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.expiresAt) && has(self.ttl))",
        message = "set at most one of spec.expiresAt and spec.ttl")
@ValidationRule(value = "!has(oldSelf.revoked) || !oldSelf.revoked || self == oldSelf",
        message = "a revoked token is final: spec.revoked cannot be set back to false and the spec cannot change")
@ValidationRule(value = "has(self.secretName) == has(oldSelf.secretName)"
        + " && (!has(self.secretName) || self.secretName == oldSelf.secretName)",
        message = "spec.secretName is immutable")
public class PersonalAccessTokenSpec {
    /** Longest scope string; with at most 64 scopes, it bounds the cost of the rules over {@code scopes}. */
    public static final int MAX_SCOPE_LENGTH = 128;
    /** Longest {@code expiresAt}, {@code ttl} and rotation duration. */
    static final int MAX_TIME_LENGTH = 64;

    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self == oldSelf", message = "spec.owner is immutable")
    @JsonPropertyDescription("The user the token acts for: a user name, or system:serviceaccount:<namespace>:<name>. Immutable.")
    private String owner;

    @Size(max = 256)
    @JsonPropertyDescription("What the token is for.")
    private String description;

    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(value = "self.all(s, s.matches('" + ApiPatterns.SCOPE_CEL + "'))",
            message = "each scope is '*', 'action' or 'action:resource' with lowercase words [a-z0-9-]")
    @ValidationRule(value = "self.all(s, self.filter(x, x == s).size() == 1)", message = "scopes must not repeat")
    @JsonPropertyDescription("What the token may do: '*', 'action' (e.g. read) or 'action:resource' (e.g. write:tasks;"
            + " Kubernetes resources as resource[.group][/subresource]: read:pods, write:deployments.apps, read:pods/log).")
    private List<@Size(min = 1, max = MAX_SCOPE_LENGTH) String> scopes;

    @Size(max = MAX_TIME_LENGTH)
    @Pattern(ApiPatterns.RFC3339)
    // the pattern checks the shape; parsing it catches a month 13 or an hour 25 at kubectl apply
    @ValidationRule(value = "timestamp(self) == timestamp(self)", message = "spec.expiresAt is not a valid RFC 3339 time")
    @JsonPropertyDescription("When the token expires (RFC 3339). At most one of expiresAt and ttl.")
    private String expiresAt;

    @Size(max = MAX_TIME_LENGTH)
    @Pattern(ApiPatterns.TTL)
    @JsonPropertyDescription("Lifetime of each issued value, e.g. 30d, 720h, 90m; 'never' where the operator allows it.")
    private String ttl;

    @JsonPropertyDescription("Scheduled rotation.")
    private RotationSpec rotation;

    @JsonPropertyDescription("Revoke the token. One-way: a revoked token stays dead.")
    private Boolean revoked;

    @Size(max = 253)
    @Pattern(ApiPatterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("The Secret that receives the token value (default: the token's name). Immutable.")
    private String secretName;

    @JsonPropertyDescription("Labels and annotations copied onto the Secret.")
    private SecretTemplate secretTemplate;

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public List<String> getScopes() {
        return scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = scopes;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getTtl() {
        return ttl;
    }

    public void setTtl(String ttl) {
        this.ttl = ttl;
    }

    public RotationSpec getRotation() {
        return rotation;
    }

    public void setRotation(RotationSpec rotation) {
        this.rotation = rotation;
    }

    public Boolean getRevoked() {
        return revoked;
    }

    public void setRevoked(Boolean revoked) {
        this.revoked = revoked;
    }

    public boolean isRevoked() {
        return Boolean.TRUE.equals(revoked);
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public SecretTemplate getSecretTemplate() {
        return secretTemplate;
    }

    public void setSecretTemplate(SecretTemplate secretTemplate) {
        this.secretTemplate = secretTemplate;
    }
}
