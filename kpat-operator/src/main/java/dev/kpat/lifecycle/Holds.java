package dev.kpat.lifecycle;

import dev.kpat.api.Labels;
import dev.kpat.api.Phase;
import dev.kpat.api.RevocationReason;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import java.util.List;
import java.util.Optional;

/**
 * The ways a token stops on its own and waits: its ServiceAccount owner does not exist yet, or was deleted (a
 * recreated ServiceAccount of the same name must not inherit the values); or a value it revoked after a leak was used
 * again and it has {@code revokeOnReuse}. A deleted owner or a reuse revokes the token's live values, and nothing is
 * issued until a new {@code kpat.dev/rotate} value. Pure: decisions come from {@link OwnerBinding} and
 * {@link ReuseResponse}.
 */
final class Holds {
    private Holds() {
    }

    /** The hold an owner verdict puts on the token, or null when values may be issued. */
    static NotReady owner(TokenFacts facts, OwnerBinding.Decision owner) {
        ServiceAccountName sa = ServiceAccountName.of(facts.spec().getOwner()).orElse(null);
        return switch (owner.verdict()) {
            case USER, BOUND, REBIND -> null;
            case WAITING -> hold(facts, Phase.Pending, Reason.OwnerNotFound, "ServiceAccount " + sa
                    + " does not exist; the token is issued as soon as it is created", null);
            case OWNER_DELETED, OWNER_REPLACED -> hold(facts, Phase.Failed, Reason.OwnerDeleted,
                    ownerDeleted(sa, owner.verdict() == OwnerBinding.Verdict.OWNER_REPLACED), Reason.OwnerDeleted);
        };
    }

    /**
     * The hold of a token whose current value the operator revoked on its own (owner deleted, reuse detected) and
     * that no rotation has answered yet, or null. {@code current} is the record of the value in the Secret, else of
     * the last value issued; status remembers the hold once retention has removed that record.
     */
    static NotReady standing(TokenFacts facts, RecordFacts current) {
        String revokedFor = current == null || current.revokedAt() == null ? null : current.revocationReason();
        Reason shown = facts.status().readyReason();
        Reason reason;
        if (RevocationReason.OWNER_DELETED.equals(revokedFor) || shown == Reason.OwnerDeleted) {
            reason = Reason.OwnerDeleted;
        } else if (RevocationReason.REUSE_DETECTED.equals(revokedFor) || shown == Reason.RevokedOnReuse) {
            reason = Reason.RevokedOnReuse;
        } else {
            return null;
        }
        if (reason == shown && facts.status().readyMessage() != null) {
            return hold(facts, Phase.Failed, reason, facts.status().readyMessage(), null); // as it was said
        }
        String message = reason == Reason.OwnerDeleted
                ? ownerDeleted(ServiceAccountName.of(facts.spec().getOwner()).orElse(null), false)
                : (current == null ? "the current value" : "value " + current.id()) + " was revoked because"
                + " a value revoked after a leak was used again (revokeOnReuse); nothing is issued until a new "
                + Labels.ROTATE_ANNOTATION + " value";
        return hold(facts, Phase.Failed, reason, message, null);
    }

    /**
     * With {@code revokeOnReuse}: when a value revoked after a leak was presented again since the current value was
     * issued, the hold that revokes every live value; else null.
     */
    static NotReady reuse(TokenFacts facts, boolean revokeOnReuse, RecordFacts current) {
        if (!revokeOnReuse || current == null || current.issuedAt() == null) {
            return null;
        }
        List<ReuseResponse.Value> values = facts.records().stream().map(Holds::value).toList();
        Optional<ReuseResponse.Value> trigger = ReuseResponse.trigger(true, value(current), current.issuedAt(),
                values);
        if (trigger.isEmpty()) {
            return null;
        }
        ReuseResponse.Value used = trigger.get();
        return hold(facts, Phase.Failed, Reason.RevokedOnReuse, "value " + current.id() + " revoked: "
                + used.tokenId() + ", revoked by " + used.revocationReason() + " at " + used.revokedAt()
                + ", was presented to a verifier at " + used.reuseDetectedAt()
                + " (revokeOnReuse); nothing is issued until a new " + Labels.ROTATE_ANNOTATION + " value",
                Reason.ReuseDetected);
    }

    private static NotReady hold(TokenFacts facts, Phase phase, Reason reason, String message, Reason revokeLive) {
        return new NotReady(phase, reason, message, revokeLive, List.of(), null,
                !message.equals(facts.status().readyMessage()));
    }

    private static String ownerDeleted(ServiceAccountName sa, boolean replaced) {
        return "ServiceAccount " + sa + (replaced ? " was deleted and created again (another uid)" : " was deleted")
                + ": the token's values are revoked, and a ServiceAccount created under that name does not inherit"
                + " them; set a new " + Labels.ROTATE_ANNOTATION + " value to issue one for the"
                + " ServiceAccount that exists now, or delete the token";
    }

    private static ReuseResponse.Value value(RecordFacts r) {
        return new ReuseResponse.Value(r.id(), r.revocationReason(), r.revokedAt(), r.reuseDetectedAt());
    }
}
