package dev.kpat.reconcile;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.lifecycle.TokenDecision.Retirement;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link TokenDecision}'s writes in the crash-safe order: a new value first (pending record, Secret,
 * activation: see {@link TokenIssuer}), then the retirement of the values it replaces, then edits of the current
 * record and the Secret's expiry. Nothing best-effort happens here (Events, metrics, workload restarts come after, in
 * {@link TokenEffects}), so nothing that can fail without harm stands between a new value and the revocation of the
 * leaked one it replaces.
 */
final class TokenActor {
    private final TokenIssuer issuer;
    private final TokenRecords records;
    private final TokenSecrets secrets;

    TokenActor(TokenIssuer issuer, TokenRecords records, TokenSecrets secrets) {
        this.issuer = issuer;
        this.records = records;
        this.secrets = secrets;
    }

    Applied apply(Observation seen, TokenDecision decision, Instant now) {
        if (decision instanceof TokenDecision.Revoke) {
            return Applied.revoked(revokeAllAndDeleteSecret(seen.pat(), now, Reason.Revoked));
        }
        if (decision instanceof NotReady notReady) {
            List<Reason> revoked = notReady.revokeLive() == null ? List.of()
                    : revokeLive(seen.pat(), now, notReady.revokeLive());
            if (notReady.blockRecord() != null) {
                records.block(notReady.blockRecord(), notReady.message());
            }
            return Applied.revoked(revoked);
        }
        if (decision instanceof Live live) {
            return live(seen, live, now);
        }
        return Applied.NOTHING;
    }

    /**
     * Revokes every record of a token (pending leftovers are deleted) and deletes its Secret: for {@code spec.revoked}
     * and for a deleted token. The records are listed from the API, not a cache: a record missed here would be a
     * live credential.
     */
    List<Reason> revokeAllAndDeleteSecret(PersonalAccessToken pat, Instant now, Reason reason) {
        List<TokenRecord> all = records.listFor(pat);
        List<Reason> revoked = revoke(all, now, reason);
        // a delete with propagationPolicy=Orphan has the garbage collector strip the owner reference, maybe before
        // this runs: a kpat Secret holding one of this token's values is still this token's to delete
        Secret secret = secrets.get(pat);
        if (secret != null && (TokenSecrets.isManagedFor(secret, pat) || holdsValueOf(secret, all))) {
            secrets.delete(secret);
        }
        return revoked;
    }

    private Applied live(Observation seen, Live live, Instant now) {
        TokenRecord current;
        String hint = seen.facts().secret().hint();
        switch (live.step()) {
            case ISSUE -> {
                Secret managed = seen.facts().secret().state() == SecretState.ABSENT ? null : seen.secret();
                TokenIssuer.Issued issued = issuer.issue(seen.pat(), live.plan(), managed, live.issueReason(),
                        live.issuedAt(), live.prefix(), live.ownerUid());
                if (issued.conflict()) {
                    return Applied.CONFLICT;
                }
                current = issued.record();
                hint = issued.value().hint();
            }
            case ACTIVATE -> current = records.activate(seen.named());
            default -> current = seen.named();
        }
        List<Reason> revoked = retire(live.retirements(), now);
        String id = current.getMetadata().getName();
        if (live.edit() != null) {
            current = records.sync(id, live.edit());
        }
        if (live.unblock()) {
            current = records.unblock(id);
        }
        if (live.secretExpiry()) {
            secrets.annotateExpiry(seen.secret(), live.expiresAt());
        }
        return new Applied(current, hint, revoked, false);
    }

    private List<Reason> retire(List<Retirement> retirements, Instant now) {
        List<Reason> revoked = new ArrayList<>();
        for (Retirement r : retirements) {
            switch (r.how()) {
                case DELETE -> records.delete(r.recordId());
                case SUPERSEDE -> records.supersede(r.recordId(), r.validUntil());
                case REVOKE -> {
                    records.revoke(r.recordId(), now, r.reason());
                    revoked.add(r.reason());
                }
            }
        }
        return revoked;
    }

    /** Revokes every value of the token that still authenticates; pending leftovers are deleted. */
    private List<Reason> revokeLive(PersonalAccessToken pat, Instant now, Reason reason) {
        return revoke(records.listFor(pat), now, reason);
    }

    private List<Reason> revoke(List<TokenRecord> all, Instant now, Reason reason) {
        List<Reason> revoked = new ArrayList<>();
        for (TokenRecord r : all) {
            if (r.getSpec().pending()) {
                records.delete(r);
            } else if (r.getSpec().getRevokedAt() == null) {
                records.revoke(r.getMetadata().getName(), now, reason);
                revoked.add(reason);
            }
        }
        return revoked;
    }

    private static boolean holdsValueOf(Secret secret, List<TokenRecord> records) {
        var labels = secret.getMetadata().getLabels();
        String id = TokenSecrets.tokenIdOf(secret);
        return labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY)) && id != null
                && records.stream().anyMatch(r -> id.equals(r.getMetadata().getName()));
    }
}
