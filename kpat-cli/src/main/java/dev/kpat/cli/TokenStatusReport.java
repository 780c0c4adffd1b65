package dev.kpat.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code kubectl pat status} knows about one token: the token, its records, its Secret's metadata, recent
 * Events and what to do next. Never a value, a hash or the Secret's data: only ids, hints and times. Printed as
 * text, or as JSON/YAML (this structure) for scripts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenStatusReport(String namespace, String name, String uid, String owner, String description,
                         List<String> scopes, String phase, String ready, String readyReason, String readyMessage,
                         String tokenId, String tokenHint, Long revision, String issuedAt, String expiresAt,
                         String renewalTime, String revokedAt, String lastUsedAt, Long usageCount,
                         List<ConditionView> conditions, List<RecordView> records, SecretView secret,
                         List<EventView> events, List<NextStep> nextSteps, List<String> notShown) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConditionView(String type, String status, String reason, String message, String lastTransitionTime) {
    }

    /**
     * One TokenRecord: {@code state} is Current, Grace (superseded, still valid until validUntil), Superseded,
     * Expired, Revoked, Blocked (held by a policy) or Pending (being written).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordView(String id, String state, boolean current, String issuedAt, String expiresAt, String validUntil,
                      String revokedAt, String revocationReason, String blockedBy, Long usageCount,
                      String lastUsedAt, String reuseDetectedAt) {
    }

    /** The Secret's metadata; {@code keys} are the names of its data keys, never their contents. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SecretView(String name, String type, String createdAt, String tokenId, String expiresAt,
                      boolean holdsCurrentValue, boolean ownedByToken, List<String> keys) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventView(String lastSeen, String type, String reason, String from, Integer count, String message) {
    }

    record NextStep(String reason, String hint) {
    }
}
