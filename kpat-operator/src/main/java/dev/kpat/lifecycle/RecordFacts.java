package dev.kpat.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * What the planner needs of one TokenRecord, as the observer read it. Never the value: only its hash.
 *
 * @param expiresAt       {@code spec.expiresAt} as stored (absent: never)
 * @param retired         revoked or superseded: it no longer authenticates, whatever the clock says
 * @param issueReason     why it was issued (its {@code kpat.dev/issue-reason} annotation)
 * @param rotateRequest   the {@code kpat.dev/rotate} value it was issued under, or null
 */
public record RecordFacts(
        String id,
        String hash,
        boolean pending,
        Instant issuedAt,
        String expiresAt,
        boolean retired,
        Instant revokedAt,
        String revocationReason,
        Instant reuseDetectedAt,
        String blockedBy,
        List<String> scopes,
        String owner,
        String ownerUid,
        IssueReason issueReason,
        String rotateRequest) {

    /** The instant {@link #expiresAt} names, or null. */
    public Instant expiry() {
        return expiresAt == null ? null : Instant.parse(expiresAt);
    }
}
