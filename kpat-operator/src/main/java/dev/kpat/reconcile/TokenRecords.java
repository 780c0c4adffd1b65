package dev.kpat.reconcile;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.TokenPlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    public TokenRecord activate(TokenRecord record) {
        return edit(record, spec -> spec.setPending(null));
    }

    /**
     * Applies scope, owner and lifetime edits to the current record in place: they take effect at once, without a
     * new value. A record issued before owners were bound gets the uid of its ServiceAccount owner. Returns the record
     * as stored.
     */
    public TokenRecord sync(TokenRecord record, TokenPlan plan, String ownerUid) {
        Instant expiry = plan.expiryFor(Instant.parse(record.getSpec().getIssuedAt()));
        String expiresAt = expiry == null ? null : expiry.toString();
        TokenRecordSpec spec = record.getSpec();
        if (Objects.equals(spec.getScopes(), plan.scopes()) && Objects.equals(spec.getOwner(), plan.owner())
                && Objects.equals(spec.getExpiresAt(), expiresAt) && spec.getBlockedBy() == null
                && (ownerUid == null || spec.getOwnerUid() != null)) {
            return record;
        }
        return edit(record, s -> {
            if (s.getOwnerUid() == null) {
                s.setOwnerUid(ownerUid);
            }
            s.setScopes(plan.scopes());
            s.setOwner(plan.owner());
            s.setExpiresAt(expiresAt);
            s.setBlockedBy(null); // a token that keeps every policy again is unblocked
        });
    }

    /** Blocks a record while a policy forbids its token: verifiers reject it, but it is not revoked. */
    public TokenRecord block(TokenRecord record, String why) {
        if (why.equals(record.getSpec().getBlockedBy())) {
            return record;
        }
        return edit(record, s -> s.setBlockedBy(why));
    }

    /** Revokes a record; one already retired keeps its original time and reason. */
    public TokenRecord revoke(TokenRecord record, Instant now, String reason) {
        return edit(record, s -> {
            if (s.getRevokedAt() == null) {
                s.setRevokedAt(now.toString());
                s.setRevocationReason(reason);
            }
        });
    }

    /** Gives a superseded record its end of grace; a record already retired is left as it is. */
    public TokenRecord supersede(TokenRecord record, Instant validUntil) {
        return edit(record, s -> {
            if (s.getRevokedAt() == null && s.getValidUntil() == null) {
                s.setValidUntil(validUntil.toString());
            }
        });
    }

    public void delete(TokenRecord record) {
        client.resources(TokenRecord.class).withName(record.getMetadata().getName()).delete();
    }

    /** A record that no longer authenticates anything, whatever the clock says. */
    public static boolean isRetired(TokenRecord record) {
        return record.getSpec().getRevokedAt() != null || record.getSpec().getValidUntil() != null;
    }

    private TokenRecord edit(TokenRecord record, java.util.function.Consumer<TokenRecordSpec> change) {
        return client.resources(TokenRecord.class).withName(record.getMetadata().getName()).edit(r -> {
            change.accept(r.getSpec());
            return r;
        });
    }
}
