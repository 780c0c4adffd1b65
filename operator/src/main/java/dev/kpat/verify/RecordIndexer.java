package dev.kpat.verify;

import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;

/**
 * Feeds the {@link TokenIndex} from a TokenRecord informer: changes (revocations, rotations, scope edits) apply as
 * the watch delivers them. The informer's own store keeps only names and resource versions, so the full records are
 * never held twice: the compact index is the only copy.
 */
public final class RecordIndexer implements AutoCloseable {
    private final SharedIndexInformer<TokenRecord> informer;

    public RecordIndexer(KubernetesClient client, TokenIndex index) {
        this.informer = client.resources(TokenRecord.class).runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, TokenRecord.class,
                        client.getKubernetesSerialization(), "metadata.resourceVersion"));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(TokenRecord record) {
                index.upsert(record);
            }

            @Override
            public void onUpdate(TokenRecord old, TokenRecord record) {
                index.upsert(record);
            }

            @Override
            public void onDelete(TokenRecord record, boolean finalStateUnknown) {
                index.remove(record.getMetadata().getName());
            }
        });
    }

    public RecordIndexer start() {
        informer.start();
        return this;
    }

    /** True once the initial list of records is in the index: the verifier is ready only then. */
    public boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.stop();
    }
}
