package dev.kpat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.token.TokenFormat;
import dev.kpat.verify.RecordIndexer;
import dev.kpat.verify.TokenIndex;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 100,000 TokenRecords: how long the verifier takes to index them from its informer's initial list, and how much
 * heap the index keeps per record. Run with {@code mvn -B -pl operator -Pbench test -Dtest=IndexFootprintBench}.
 */
@Tag("bench")
class IndexFootprintBench {
    private static final int N = 100_000;

    private static List<TokenRecord> records() {
        TokenFormat format = new TokenFormat("kpat_");
        List<TokenRecord> out = new ArrayList<>(N);
        for (int n = 0; n < N; n++) {
            TokenRecord r = VerifyBenchmark.record(n, format.generate().reveal());
            r.setApiVersion("kpat.dev/v1alpha1");
            r.setKind("TokenRecord");
            r.getMetadata().setResourceVersion("1");
            out.add(r);
        }
        return out;
    }

    @Test
    void indexesOneHundredThousandRecordsFromTheInformer() {
        StringBuilder json = new StringBuilder("{\"apiVersion\":\"kpat.dev/v1alpha1\",\"kind\":\"TokenRecordList\","
                + "\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[");
        List<TokenRecord> records = records();
        for (int n = 0; n < records.size(); n++) {
            json.append(n == 0 ? "" : ",").append(Serialization.asJson(records.get(n)));
        }
        String list = json.append("]}").toString();
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            // the informer's initial list is served whole; its watch then goes to the (empty) CRUD store
            cluster.server().expect().get().withPath("/apis/kpat.dev/v1alpha1/tokenrecords?resourceVersion=0")
                    .andReturn(200, list).once();
            TokenIndex index = new TokenIndex();
            long start = System.nanoTime();
            try (RecordIndexer indexer = new RecordIndexer(cluster.client(), index).start()) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                        .until(() -> indexer.synced() && index.size() == N);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("index: %d records listed, decoded and indexed by the informer in %.2f s"
                        + " (list body %d MiB)%n", N, seconds, list.length() >> 20);
            }
        }
    }

    @Test
    void retainedHeapPerRecord() {
        long base = usedAfterGc();
        TokenIndex index = new TokenIndex();
        List<TokenRecord> records = records();
        records.forEach(index::upsert);
        records = null;
        long used = usedAfterGc();
        assertThat(index.size()).isEqualTo(N);
        System.out.printf("index: %d records retain %.1f MiB, %d bytes per record%n", N, (used - base) / 1048576.0,
                (used - base) / N);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
