package dev.kpat.reconcile;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.Phase;
import dev.kpat.api.RevocationReason;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OwnerBinding;
import dev.kpat.lifecycle.OwnerBinding.Verdict;
import dev.kpat.lifecycle.ReuseResponse;
import dev.kpat.lifecycle.ServiceAccountName;
import dev.kpat.metrics.TokenMetrics;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The two ways a token stops on its own and waits for a person: its ServiceAccount owner was deleted (hole: a
 * recreated ServiceAccount of the same name must not inherit the values), or a value it revoked after a leak was
 * used again and it has {@code revokeOnReuse}. Either way its live values are revoked and nothing is issued until a
 * new {@code kpat.dev/rotate} value; decisions come from the pure {@link OwnerBinding} and {@link ReuseResponse}.
 */
final class TokenHolds {
    /** Why a token issues nothing: the Ready reason, the message and the phase to show. */
    record Hold(Phase phase, String reason, String message) {
    }

    private final ServiceAccountOwners owners;
    private final TokenRecords records;
    private final TokenMetrics metrics;

    TokenHolds(ServiceAccountOwners owners, TokenRecords records, TokenMetrics metrics) {
        this.owners = owners;
        this.records = records;
        this.metrics = metrics;
    }

    /**
     * The owner's binding. A verdict that would revoke values is confirmed against the API first, so a cache that is
     * behind never revokes anything.
     */
    OwnerBinding.Decision owner(PersonalAccessToken pat, boolean rotationRequested) {
        Optional<ServiceAccountName> sa = ServiceAccountName.of(pat.getSpec().getOwner());
        if (sa.isEmpty()) {
            return OwnerBinding.decide(pat.getSpec().getOwner(), null, null, false, false);
        }
        String bound = boundUid(pat);
        boolean everIssued = everIssued(pat);
        String cached = owners.cachedUid(sa.get());
        OwnerBinding.Decision d = OwnerBinding.decide(pat.getSpec().getOwner(), cached, bound, everIssued,
                rotationRequested);
        if (d.verdict() == Verdict.OWNER_DELETED || d.verdict() == Verdict.OWNER_REPLACED) {
            String live = owners.liveUid(sa.get());
            if (!Objects.equals(live, cached)) {
                d = OwnerBinding.decide(pat.getSpec().getOwner(), live, bound, everIssued, rotationRequested);
            }
        }
        return d;
    }

    /** The hold an owner verdict puts on the token (revoking its live values), or null when values may be issued. */
    Hold ownerHold(PersonalAccessToken pat, OwnerBinding.Decision owner, Instant now) {
        ServiceAccountName sa = ServiceAccountName.of(pat.getSpec().getOwner()).orElse(null);
        return switch (owner.verdict()) {
            case USER, BOUND, REBIND -> null;
            case WAITING -> new Hold(Phase.Pending, TokenStatusWriter.REASON_OWNER_NOT_FOUND, "ServiceAccount " + sa
                    + " does not exist; the token is issued as soon as it is created");
            case OWNER_DELETED, OWNER_REPLACED -> {
                revokeLive(pat, now, RevocationReason.OWNER_DELETED);
                yield ownerDeleted(sa, owner.verdict() == Verdict.OWNER_REPLACED);
            }
        };
    }

    /**
     * The hold of a token whose current value the operator revoked on its own (owner deleted, reuse detected) and
     * that no rotation has answered yet, or null. {@code current} is the record of the value in the Secret, else of
     * the last value issued; status remembers the hold once retention has removed that record.
     */
    Hold standing(PersonalAccessToken pat, TokenRecord current) {
        String revokedFor = current == null || current.getSpec().getRevokedAt() == null ? null
                : current.getSpec().getRevocationReason();
        var ready = pat.getStatus() == null ? null : Conditions.find(pat.getStatus().getConditions(), Conditions.READY);
        String shown = ready == null ? null : ready.getReason();
        String reason;
        if (RevocationReason.OWNER_DELETED.equals(revokedFor) || TokenStatusWriter.REASON_OWNER_DELETED.equals(shown)) {
            reason = TokenStatusWriter.REASON_OWNER_DELETED;
        } else if (RevocationReason.REUSE_DETECTED.equals(revokedFor)
                || TokenStatusWriter.REASON_REVOKED_ON_REUSE.equals(shown)) {
            reason = TokenStatusWriter.REASON_REVOKED_ON_REUSE;
        } else {
            return null;
        }
        if (reason.equals(shown) && ready.getMessage() != null) {
            return new Hold(Phase.Failed, reason, ready.getMessage()); // as it was said: no new Event
        }
        return reason.equals(TokenStatusWriter.REASON_OWNER_DELETED)
                ? ownerDeleted(ServiceAccountName.of(pat.getSpec().getOwner()).orElse(null), false)
                : new Hold(Phase.Failed, reason, (current == null ? "the current value"
                : "value " + current.getMetadata().getName()) + " was revoked because"
                + " a value revoked after a leak was used again (revokeOnReuse); nothing is issued until a new "
                + Labels.ROTATE_ANNOTATION + " value");
    }

    /**
     * With {@code revokeOnReuse}: when a value revoked after a leak was presented again since the current value was
     * issued, revokes every live value and returns the hold; else null.
     */
    Hold reuse(PersonalAccessToken pat, boolean revokeOnReuse, TokenRecord current, Collection<TokenRecord> all,
               Instant now) {
        if (!revokeOnReuse || current == null || current.getSpec().getIssuedAt() == null) {
            return null;
        }
        List<ReuseResponse.Value> values = all.stream().map(TokenHolds::value).toList();
        Optional<ReuseResponse.Value> trigger = ReuseResponse.trigger(true, value(current),
                Instant.parse(current.getSpec().getIssuedAt()), values);
        if (trigger.isEmpty()) {
            return null;
        }
        revokeLive(pat, now, RevocationReason.REUSE_DETECTED);
        ReuseResponse.Value used = trigger.get();
        return new Hold(Phase.Failed, TokenStatusWriter.REASON_REVOKED_ON_REUSE, "value "
                + current.getMetadata().getName() + " revoked: " + used.tokenId() + ", revoked by "
                + used.revocationReason() + " at " + used.revokedAt() + ", was presented to a verifier at "
                + used.reuseDetectedAt() + " (revokeOnReuse); nothing is issued until a new "
                + Labels.ROTATE_ANNOTATION + " value");
    }

    private static Hold ownerDeleted(ServiceAccountName sa, boolean replaced) {
        return new Hold(Phase.Failed, TokenStatusWriter.REASON_OWNER_DELETED, "ServiceAccount " + sa
                + (replaced ? " was deleted and created again (another uid)" : " was deleted")
                + ": the token's values are revoked, and a ServiceAccount created under that name does not inherit"
                + " them; set a new " + Labels.ROTATE_ANNOTATION + " value to issue one for the"
                + " ServiceAccount that exists now, or delete the token");
    }

    /** Revokes every value of the token that still authenticates; pending leftovers are deleted. */
    private void revokeLive(PersonalAccessToken pat, Instant now, String reason) {
        for (TokenRecord r : records.listFor(pat)) {
            if (r.getSpec().pending()) {
                records.delete(r);
            } else if (r.getSpec().getRevokedAt() == null) {
                records.revoke(r, now, reason);
                metrics.revoked(reason);
            }
        }
    }

    /** The uid the token's values are bound to: status remembers it, else the last issued value's record does. */
    private String boundUid(PersonalAccessToken pat) {
        if (pat.getStatus() == null) {
            return null;
        }
        if (pat.getStatus().getOwnerUid() != null) {
            return pat.getStatus().getOwnerUid();
        }
        String id = pat.getStatus().getTokenId();
        TokenRecord last = id == null ? null : records.get(id);
        return last == null || last.getSpec() == null ? null : last.getSpec().getOwnerUid();
    }

    private static boolean everIssued(PersonalAccessToken pat) {
        return pat.getStatus() != null && pat.getStatus().getTokenId() != null;
    }

    private static ReuseResponse.Value value(TokenRecord r) {
        var spec = r.getSpec();
        var status = r.getStatus();
        return new ReuseResponse.Value(r.getMetadata().getName(), spec.getRevocationReason(),
                instant(spec.getRevokedAt()), status == null ? null : instant(status.getReuseDetectedAt()));
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
