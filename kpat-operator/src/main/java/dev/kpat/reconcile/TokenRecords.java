package dev.kpat.reconcile;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision;
import dev.kpat.lifecycle.TokenPlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads and writes TokenRecords, the hashed side of a token. */
public class TokenRecords {
    /** On a pending record: why it is being issued, so an interrupted issue finishes the same way after a crash. */
    public static final String ISSUE_REASON_ANNOTATION = "kpat.dev/issue-reason";
    /**
     * On a record: the PAT's {@code kpat.dev/rotate} value when the record was issued. That value is answered by the
     * record, even when the process died before status said so: a rotation is never done twice.
     */
    public static final String ROTATE_REQUEST_ANNOTATION = "kpat.dev/rotate-request";

    private final KubernetesClient client;

    public TokenRecords(KubernetesClient client) {
        this.client = client;
    }

    /** Every record issued for this PAT (by uid, so a re-created PAT of the same name starts clean). */
    public List<TokenRecord> listFor(PersonalAccessToken pat) {
        return client.resources(TokenRecord.class).withLabel(Labels.PAT_UID, pat.getMetadata().getUid()).list()
                .getItems();
    }

    /** One record, read from the API (not a cache): the record the Secret names must be current. */
    public TokenRecord get(String tokenId) {
        return client.resources(TokenRecord.class).withName(tokenId).get();
    }

    /** Creates the record of a value about to be written to the Secret; it authenticates nothing until activated. */
    public TokenRecord createPending(PersonalAccessToken pat, String tokenId, String hash, TokenPlan plan,
                                     Instant issuedAt, IssueReason reason, String ownerUid) {
        TokenRecord record = new TokenRecord();
        record.setMetadata(new ObjectMetaBuilder()
                .withName(tokenId)
                .withLabels(Map.of(
                        Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                        Labels.PAT_UID, LabelValues.of(pat.getMetadata().getUid()),
                        Labels.PAT_NAMESPACE, LabelValues.of(pat.getMetadata().getNamespace()),
                        Labels.PAT_NAME, LabelValues.of(pat.getMetadata().getName())))
                .withAnnotations(annotations(pat, reason))
                .build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(hash);
        spec.setTokenRef(new TokenRef(pat.getMetadata().getNamespace(), pat.getMetadata().getName(),
                pat.getMetadata().getUid()));
        spec.setOwner(plan.owner());
        spec.setOwnerUid(ownerUid);
        spec.setScopes(plan.scopes());
        spec.setPending(true);
        spec.setIssuedAt(issuedAt.toString());
        Instant expiry = plan.expiryFor(issuedAt);
        spec.setExpiresAt(expiry == null ? null : expiry.toString());
        record.setSpec(spec);
        return client.resource(record).create();
    }

    private static Map<String, String> annotations(PersonalAccessToken pat, IssueReason reason) {
        Map<String, String> annotations = new java.util.HashMap<>();
        annotations.put(ISSUE_REASON_ANNOTATION, reason.name());
        // the exact name: the label is shortened for names over 63 characters
        annotations.put(Labels.PAT_NAME, pat.getMetadata().getName());
        if (pat.rotateRequest() != null) {
            annotations.put(ROTATE_REQUEST_ANNOTATION, pat.rotateRequest());
        }
        return annotations;
    }

    /** The {@code kpat.dev/rotate} value a record was issued under, or null. */
    public static String rotateRequestOf(TokenRecord record) {
        Map<String, String> annotations = record.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ROTATE_REQUEST_ANNOTATION);
    }

    /**
     * One JSON patch of the record as created, removing {@code spec.pending}: nothing else writes a pending record,
     * so nothing is read first (a JSON patch, not a merge patch: the mock API server stores a merged null).
     */
    public TokenRecord activate(TokenRecord record) {
        return client.resource(record).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"remove\",\"path\":\"/spec/pending\"}]");
    }

    /**
     * Applies scope, owner and lifetime edits to the current record in place: they take effect at once, without a
     * new value. A policy block is not this method's business: it stays until {@link #unblock} lifts it.
     */
    public TokenRecord sync(String tokenId, TokenDecision.RecordEdit edit) {
        return edit(tokenId, s -> {
            s.setOwnerUid(edit.ownerUid());
            s.setScopes(edit.scopes());
            s.setOwner(edit.owner());
            s.setExpiresAt(edit.expiresAt());
        });
    }

    /** Blocks a record while a policy forbids its token: verifiers reject it, but it is not revoked. */
    public TokenRecord block(String tokenId, String why) {
        return edit(tokenId, s -> s.setBlockedBy(why));
    }

    /** Lifts a policy block: the token keeps every policy again. */
    public TokenRecord unblock(String tokenId) {
        return edit(tokenId, s -> s.setBlockedBy(null));
    }

    /** Revokes a record; one already revoked keeps its original time and reason. */
    public TokenRecord revoke(String tokenId, Instant now, Reason reason) {
        return edit(tokenId, s -> {
            if (s.getRevokedAt() == null) {
                s.setRevokedAt(now.toString());
                s.setRevocationReason(reason.name());
            }
        });
    }

    /** Gives a superseded record its end of grace; a record already retired is left as it is. */
    public TokenRecord supersede(String tokenId, Instant validUntil) {
        return edit(tokenId, s -> {
            if (s.getRevokedAt() == null && s.getValidUntil() == null) {
                s.setValidUntil(validUntil.toString());
            }
        });
    }

    public void delete(String tokenId) {
        client.resources(TokenRecord.class).withName(tokenId).delete();
    }

    public void delete(TokenRecord record) {
        delete(record.getMetadata().getName());
    }

    /** A record that no longer authenticates anything, whatever the clock says. */
    public static boolean isRetired(TokenRecord record) {
        return record.getSpec().getRevokedAt() != null || record.getSpec().getValidUntil() != null;
    }

    private TokenRecord edit(String tokenId, java.util.function.Consumer<TokenRecordSpec> change) {
        return client.resources(TokenRecord.class).withName(tokenId).edit(r -> {
            change.accept(r.getSpec());
            return r;
        });
    }
}
