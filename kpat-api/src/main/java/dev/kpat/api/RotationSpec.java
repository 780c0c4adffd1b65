package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationSpec {
    @JsonPropertyDescription("Issue a new value before the current one expires.")
    private Boolean enabled;

    @Size(max = PersonalAccessTokenSpec.MAX_TIME_LENGTH)
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long before expiry to rotate (default: one third of the lifetime).")
    private String renewBefore;

    @Size(max = PersonalAccessTokenSpec.MAX_TIME_LENGTH)
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long the previous value stays valid after a scheduled rotation (default 10m).")
    private String gracePeriod;

    @JsonPropertyDescription("When a value revoked by a rotation after a leak (kpat.dev/rotate) is presented to a"
            + " verifier, revoke the current value too and issue nothing until the next kpat.dev/rotate.")
    private Boolean revokeOnReuse;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return Boolean.TRUE.equals(enabled);
    }

    public String getRenewBefore() {
        return renewBefore;
    }

    public void setRenewBefore(String renewBefore) {
        this.renewBefore = renewBefore;
    }

    public Boolean getRevokeOnReuse() {
        return revokeOnReuse;
    }

    public void setRevokeOnReuse(Boolean revokeOnReuse) {
        this.revokeOnReuse = revokeOnReuse;
    }

    public String getGracePeriod() {
        return gracePeriod;
    }

    public void setGracePeriod(String gracePeriod) {
        this.gracePeriod = gracePeriod;
    }
}
