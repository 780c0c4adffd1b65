package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.TokenPlan;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenId;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;

/**
 * Issues a new value in a crash-safe order: (1) a pending record, which authenticates nothing; (2) the Secret;
 * (3) activation of the record. A crash after (1) leaves a pending record that the next reconcile deletes; a crash
 * after (2) leaves a Secret whose pending record the next reconcile activates. A value is never active without being
 * in the Secret. The value it replaces stays active until the actor retires it right after (3): revoked at once, or,
 * after a scheduled rotation, valid for the grace period, so two values are then active by design.
 */
class TokenIssuer {
    /** A value, with the record that now authenticates it; or a conflict when the Secret name is taken. */
    record Issued(TokenRecord record, TokenValue value, boolean conflict) {
    }

    private final java.util.Map<String, TokenFormat> formats = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.security.SecureRandom random;
    private final TokenId ids;
    private final TokenRecords records;
    private final TokenSecrets secrets;

    TokenIssuer(java.security.SecureRandom random, TokenId ids, TokenRecords records, TokenSecrets secrets) {
        this.random = random;
        this.ids = ids;
        this.records = records;
        this.secrets = secrets;
    }

    /**
     * @param managedSecret the Secret kpat manages for this token, or null when there is none
     * @param prefix        the token prefix (the operator's, or a policy's)
     * @param ownerUid      the uid of the ServiceAccount owner the value is bound to; null for a user
     */
    Issued issue(PersonalAccessToken pat, TokenPlan plan, Secret managedSecret, IssueReason reason, Instant now,
                 String prefix, String ownerUid) {
        TokenValue value = formats.computeIfAbsent(prefix, p -> new TokenFormat(p, random)).generate();
        String id = ids.next();
        TokenRecord pending = records.createPending(pat, id, value.hash(), plan, now, reason, ownerUid);
        try {
            secrets.write(pat, managedSecret, value, id, plan.expiryFor(now));
        } catch (KubernetesClientException e) {
            if (refused(e)) {
                records.delete(pending);
            }
            if (e.getCode() == 409 && managedSecret == null) {
                Secret appeared = secrets.get(pat);
                if (appeared != null && !TokenSecrets.isManagedFor(appeared, pat)) {
                    return new Issued(null, null, true);
                }
            }
            throw e;
        }
        return new Issued(records.activate(pending), value, false);
    }

    /**
     * Whether the API answered that it did not make the write (4xx). After a timeout, a lost answer or a 5xx the
     * write may still land, as a slow API server applies a request its client gave up on: the pending record (which
     * authenticates nothing) then stays, so the next reconcile activates it if its value reached the Secret instead
     * of taking that value for tampering and issuing another. If it did not, the record is a leftover, deleted once
     * the next value is in the Secret: the write was conditional on the Secret's resourceVersion (or on its absence),
     * so it can no longer land then.
     */
    private static boolean refused(KubernetesClientException e) {
        return e.getCode() >= 400 && e.getCode() < 500;
    }
}
