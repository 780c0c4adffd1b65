package dev.kpat.testing;

import static org.awaitility.Awaitility.await;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/** Removes the TokenRecords a test's namespace left behind (they are cluster-scoped: the namespace does not take them). */
public final class TokenRecordCleanup {
    private TokenRecordCleanup() {
    }

    /**
     * Deletes every record of the tokens of {@code namespace}. Thousands of records outlast the client's request
     * timeout; the API server goes on deleting them, so the delete is repeated until none is left.
     */
    public static void deleteRecordsOf(KubernetesClient admin, String namespace) {
        var records = admin.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, LabelValues.of(namespace));
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            records.delete();
            return records.list().getItems().isEmpty();
        });
    }
}
