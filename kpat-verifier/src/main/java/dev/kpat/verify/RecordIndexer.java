package dev.kpat.verify;

import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Feeds the {@link TokenIndex} from a TokenRecord informer: changes (revocations, rotations, scope edits) apply as
 * the watch delivers them. The index is the informer's store ({@link IndexItemStore}), so records are held once,
 * compactly, and never as full objects.
 */
public final class RecordIndexer implements AutoCloseable {
    private final SharedIndexInformer<TokenRecord> informer;

    public RecordIndexer(KubernetesClient client, TokenIndex index) {
        this.informer = client.resources(TokenRecord.class).runnableInformer(0)
                .itemStore(new IndexItemStore(index));
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
