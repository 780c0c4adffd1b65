package dev.kpat.lifecycle;

import dev.kpat.api.Phase;
import java.time.Instant;

/**
 * What the token's status said before this reconcile: what was issued and announced, and the Ready condition that
 * was shown (a hold is repeated in its own words, a message that did not change raises no new Event).
 *
 * @param readyReason the Ready condition's reason, or null when it is none of {@link Reason}
 */
public record PriorStatus(
        Phase phase,
        String tokenId,
        Instant issuedAt,
        String ownerUid,
        String observedRotateRequest,
        Reason readyReason,
        String readyMessage) {

    public static final PriorStatus NONE = new PriorStatus(null, null, null, null, null, null, null);

    /** Whether a value was ever issued: status names one. */
    public boolean everIssued() {
        return tokenId != null;
    }

    /** The phase to show while a token cannot be issued: what it was (Pending at first, or after Failed). */
    public Phase phaseWhileBlocked() {
        return whileBlocked(phase);
    }

    /** The phase to show, instead of {@code phase}, while a token cannot be issued. */
    public static Phase whileBlocked(Phase phase) {
        return phase == null || phase == Phase.Failed ? Phase.Pending : phase;
    }
}
