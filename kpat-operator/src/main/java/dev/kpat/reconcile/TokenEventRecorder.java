package dev.kpat.reconcile;

import dev.kpat.runtime.TokenEvents;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.Reason;
import java.time.Instant;
import java.util.List;

/**
 * The operator's Events on a PersonalAccessToken, one per transition, their reasons from {@link Reason} (Warning or
 * Normal as the reason says). Messages name token ids and hints, never values.
 */
final class TokenEventRecorder {
    private final TokenEvents events;

    TokenEventRecorder(TokenEvents events) {
        this.events = events;
    }

    /** A new value: Issued, Rotated, or SecretRecreated (the Secret was deleted or tampered with). */
    void issued(PersonalAccessToken pat, IssueReason reason, String tokenId, String hint) {
        String value = hint + " (" + tokenId + ")";
        switch (reason) {
            case Issued -> record(pat, Reason.Issued, "issued " + value + " into Secret " + pat.secretName());
            case Rotated -> record(pat, Reason.Rotated, "scheduled rotation: issued " + value);
            case ManualRotation -> record(pat, Reason.Rotated, "rotation requested by " + Labels.ROTATE_ANNOTATION
                    + ": issued " + value);
            default -> record(pat, Reason.SecretRecreated, (reason == IssueReason.SecretDeleted
                    ? "Secret was deleted" : "Secret's token was edited or removed")
                    + ": previous value revoked, issued " + value);
        }
    }

    void workloadsRestarted(PersonalAccessToken pat, List<String> workloads) {
        record(pat, Reason.WorkloadsRestarted, "restarted " + String.join(", ", workloads)
                + " to pick up the new value");
    }

    void expired(PersonalAccessToken pat, String tokenId, Instant expiresAt) {
        record(pat, Reason.Expired, "token " + tokenId + " expired at " + expiresAt);
    }

    void revoked(PersonalAccessToken pat) {
        record(pat, Reason.Revoked, "token revoked; Secret " + pat.secretName() + " deleted");
    }

    /** Why the token gets no value (a refusal or a hold), said once per message. */
    void notReady(PersonalAccessToken pat, Reason reason, String message) {
        record(pat, reason, message);
    }

    private void record(PersonalAccessToken pat, Reason reason, String message) {
        if (reason.warning()) {
            events.warning(pat, reason.name(), message);
        } else {
            events.normal(pat, reason.name(), message);
        }
    }
}
