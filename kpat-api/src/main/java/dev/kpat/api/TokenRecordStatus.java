package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Usage, written by verifiers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRecordStatus {
    @JsonPropertyDescription("When a verifier was last presented this value after it had been revoked by a rotation"
            + " after a leak or by revocation (at most once a minute per verifier replica).")
    private String reuseDetectedAt;
    private String lastUsedAt;
    private Long usageCount;
    private List<String> recentClientIPs;

    public String getReuseDetectedAt() {
        return reuseDetectedAt;
    }

    public void setReuseDetectedAt(String reuseDetectedAt) {
        this.reuseDetectedAt = reuseDetectedAt;
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
}
