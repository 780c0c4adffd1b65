package dev.kpat.lifecycle;

import java.time.Instant;

/**
 * What the operator found in the cluster for one PersonalAccessToken, reduced to the facts the lifecycle decides on.
 *
 * @param secret              the state of the Secret named by the spec
 * @param record              the state of the TokenRecord the Secret's {@code kpat.dev/token-id} names
 * @param recordIssuedAt      when that record's value was issued
 * @param pendingReason       why a pending record was created (to finish its issue after a crash)
 * @param everIssued          whether a value was issued before (status names a token id)
 * @param rotateRequest       the {@code kpat.dev/rotate} annotation value, or null
 * @param observedRotateRequest the rotate request last acted on, from status
 */
public record ObservedToken(
        SecretState secret,
        RecordState record,
        Instant recordIssuedAt,
        IssueReason pendingReason,
        boolean everIssued,
        String rotateRequest,
        String observedRotateRequest) {

    public enum SecretState {
        ABSENT,
        /** A Secret of that name that kpat does not manage for this token. */
        FOREIGN,
        /** Managed by kpat, but the {@code token} key is missing or empty. */
        EMPTY,
        PRESENT
    }

    public enum RecordState {
        /** No record by the Secret's token id. */
        MISSING,
        /** A record exists but its hash does not match the Secret's value. */
        MISMATCH,
        /** Created and matching, not yet activated (an issue was interrupted). */
        PENDING,
        ACTIVE,
        /** Revoked or superseded: it no longer authenticates. */
        RETIRED
    }

    public boolean rotationRequested() {
        return rotateRequest != null && !rotateRequest.equals(observedRotateRequest);
    }
}
