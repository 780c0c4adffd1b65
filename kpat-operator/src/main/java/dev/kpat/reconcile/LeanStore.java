package dev.kpat.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps what the operator reads and drops the rest before storing: every object's
 * {@code managedFields} (server-side apply bookkeeping, nested maps larger in the heap than the object itself) and
 * whatever {@code slim} removes. At 10,000 tokens the caches hold each token several times (the token controller,
 * the policy status controllers, the record controllers), so this is most of the operator's heap per token.
 * Objects are stripped as they arrive, so event handlers and reconcilers see the same stripped object; merge patches
 * and JSON patches computed between two copies of it are unaffected by what is missing.
 */
final class LeanStore<T extends HasMetadata> extends BasicItemStore<T> {
    private final UnaryOperator<T> slim;

    private LeanStore(UnaryOperator<T> slim) {
        super(Cache::metaNamespaceKeyFunc);
        this.slim = slim;
    }

    /** Drops managedFields only. */
    static <T extends HasMetadata> LeanStore<T> withoutManagedFields() {
        return new LeanStore<>(UnaryOperator.identity());
    }

    /**
     * For kpat's Secrets, whose cache only maps events to tokens: managedFields and the value go. The observer reads
     * a token's Secret from the API anyway, and a cache without values keeps them out of the operator's heap dumps.
     */
    static LeanStore<Secret> secretsWithoutValues() {
        return new LeanStore<>(s -> {
            s.setData(null);
            s.setStringData(null);
            return s;
        });
    }

    @Override
    public T put(String key, T obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return super.put(key, slim.apply(obj));
    }
}
