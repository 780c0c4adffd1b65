package dev.kpat.verify;

import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The informer's store is the index itself: records go straight into their compact entries, and the informer gets
 * back only what it needs to track state (name and resourceVersion). So the verifier holds each record once, in the
 * compact form, instead of a second copy in an informer cache.
 */
final class IndexItemStore implements ItemStore<TokenRecord> {
    private final TokenIndex index;

    IndexItemStore(TokenIndex index) {
        this.index = index;
    }

    @Override
    public String getKey(TokenRecord record) {
        return record.getMetadata().getName(); // TokenRecords are cluster-scoped: the name is the key
    }

    @Override
    public TokenRecord put(String key, TokenRecord record) {
        return reduced(index.upsert(record));
    }

    @Override
    public TokenRecord remove(String key) {
        return reduced(index.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return index.names().stream();
    }

    @Override
    public Stream<TokenRecord> values() {
        return index.names().stream().map(this::get).filter(java.util.Objects::nonNull);
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public TokenRecord get(String key) {
        return reduced(index.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** What the informer sees of an entry: a record with only its name and resourceVersion. */
    private static TokenRecord reduced(IndexedToken entry) {
        if (entry == null) {
            return null;
        }
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(entry.tokenId()).withResourceVersion(entry.resourceVersion())
                .build());
        return r;
    }
}
