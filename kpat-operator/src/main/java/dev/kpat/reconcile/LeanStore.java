package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import java.util.LinkedHashMap;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps what the operator reads and drops the rest before storing: every object's
 * {@code managedFields} (server-side apply bookkeeping, nested maps larger in the heap than the object itself) and
 * whatever {@code slim} removes. At 10,000 tokens the caches hold each token several times (the token controller,
 * the policy status controllers, the record controllers), so this is most of the operator's heap per token.
 * The texts that repeat across objects are then shared ({@link SharedStrings}). Objects are stripped as they
 * arrive, so event handlers and reconcilers see the same stripped object; merge patches
 * and JSON patches computed between two copies of it are unaffected by what is missing.
 */
final class LeanStore<T extends HasMetadata> extends BasicItemStore<T> {
    private final UnaryOperator<T> slim;

    private LeanStore(UnaryOperator<T> slim) {
        super(SharedStrings::key);
        this.slim = slim;
    }

    /** Drops managedFields only. */
    static <T extends HasMetadata> LeanStore<T> withoutManagedFields() {
        return new LeanStore<>(UnaryOperator.identity());
    }

    /**
     * For kpat's Secrets: managedFields and the value go; the value's SHA-256 (what its record holds anyway) stays,
     * as {@link TokenSecrets#CACHED_DIGEST}, so a reconcile can tell from the cache that the Secret still holds the
     * value status names ({@link TokenObserver#fromCache}). A cache without values keeps them out of heap dumps.
     */
    static LeanStore<Secret> secretsWithDigests() {
        return new LeanStore<>(s -> {
            TokenValue value = TokenSecrets.valueOf(s);
            var annotations = new LinkedHashMap<String, String>();
            if (s.getMetadata().getAnnotations() != null) {
                annotations.putAll(s.getMetadata().getAnnotations());
            }
            annotations.put(TokenSecrets.CACHED_DIGEST, value == null ? "" : value.hash());
            s.getMetadata().setAnnotations(annotations);
            s.setData(null);
            s.setStringData(null);
            return s;
        });
    }

    /**
     * For the policy status controllers' tokens, which only count: a token keeps its identity, creation and deletion
     * times, whether it is revoked and which policies block it. These caches are two of the copies of every token
     * the operator holds; the token controller's own cache keeps whole tokens.
     */
    static LeanStore<PersonalAccessToken> tokensForPolicyCounts() {
        return new LeanStore<>(pat -> {
            pat.setMetadata(identity(pat.getMetadata()));
            if (pat.getSpec() != null) {
                PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
                spec.setRevoked(pat.getSpec().getRevoked());
                pat.setSpec(spec);
            }
            if (pat.getStatus() != null) {
                PersonalAccessTokenStatus status = new PersonalAccessTokenStatus();
                status.setConditions(null);
                status.setRevokedAt(pat.getStatus().getRevokedAt());
                status.setBlockedBy(pat.getStatus().getBlockedBy());
                pat.setStatus(status);
            }
            return pat;
        });
    }

    /** For the usage mirror's records: which token a record belongs to, and its usage. */
    static LeanStore<TokenRecord> recordsForUsage() {
        return new LeanStore<>(record -> {
            record.setMetadata(identity(record.getMetadata()));
            if (record.getSpec() != null) {
                TokenRecordSpec spec = new TokenRecordSpec();
                spec.setTokenRef(record.getSpec().getTokenRef());
                record.setSpec(spec);
            }
            return record;
        });
    }

    /**
     * For record retention: which token a record belongs to, whether it is pending, when it was revoked or its grace
     * ends; nothing of its status.
     */
    static LeanStore<TokenRecord> recordsForRetention() {
        return new LeanStore<>(record -> {
            record.setMetadata(identity(record.getMetadata()));
            if (record.getSpec() != null) {
                TokenRecordSpec spec = new TokenRecordSpec();
                spec.setTokenRef(record.getSpec().getTokenRef());
                spec.setPending(record.getSpec().getPending());
                spec.setRevokedAt(record.getSpec().getRevokedAt());
                spec.setValidUntil(record.getSpec().getValidUntil());
                record.setSpec(spec);
            }
            record.setStatus(null);
            return record;
        });
    }

    /** What the SDK needs of a primary or secondary resource: its identity, versions and deletion. */
    private static ObjectMeta identity(ObjectMeta m) {
        return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
                .withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration())
                .withCreationTimestamp(m.getCreationTimestamp()).withDeletionTimestamp(m.getDeletionTimestamp())
                .withFinalizers(m.getFinalizers()).build();
    }

    @Override
    public T put(String key, T obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return super.put(key, SharedStrings.share(slim.apply(obj)));
    }
}
