package dev.kpat.audit;

import java.time.Duration;

/** Thresholds of the compliance audit. */
public record AuditRules(Duration unusedAfter, Duration expiringWithin) {
    public static AuditRules defaults() {
        return new AuditRules(Duration.ofDays(30), Duration.ofDays(7));
    }
}
