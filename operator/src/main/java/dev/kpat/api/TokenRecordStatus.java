package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Usage, written by verifiers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRecordStatus {
    private String lastUsedAt;
    private Long usageCount;
    private List<String> recentClientIPs;

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
