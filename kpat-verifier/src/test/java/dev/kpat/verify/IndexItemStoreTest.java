package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The index as the informer's store: it tracks names and resourceVersions and never hands out full records. */
class IndexItemStoreTest {
    private final TokenIndex index = new TokenIndex();
    private final IndexItemStore store = new IndexItemStore(index);

    @Test
    void putGetRemoveAsAnInformerUsesThem() {
        var issued = Records.issue("tok-a", List.of("read"), s -> { });
        issued.record().getMetadata().setResourceVersion("41");
        assertThat(store.put(store.getKey(issued.record()), issued.record())).isNull();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.keySet()).containsExactly("tok-a");

        var seen = store.get("tok-a");
        assertThat(seen.getMetadata().getName()).isEqualTo("tok-a");
        assertThat(seen.getMetadata().getResourceVersion()).isEqualTo("41");
        assertThat(seen.getSpec()).as("no full record is kept").isNull();

        issued.record().getMetadata().setResourceVersion("42");
        issued.record().getSpec().setRevokedAt("2026-11-24T12:00:00Z");
        assertThat(store.put("tok-a", issued.record()).getMetadata().getResourceVersion()).isEqualTo("41");
        assertThat(index.get("tok-a").revoked).isTrue();

        assertThat(store.remove("tok-a").getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(store.size()).isZero();
        assertThat(store.get("tok-a")).isNull();
        assertThat(store.isFullState()).isFalse();
    }

    @Test
    void opaqueResourceVersionsAreKeptAsText() {
        var issued = Records.issue("tok-b", List.of("read"), s -> { });
        issued.record().getMetadata().setResourceVersion("opaque-7");
        store.put("tok-b", issued.record());
        assertThat(store.get("tok-b").getMetadata().getResourceVersion()).isEqualTo("opaque-7");
    }
}
