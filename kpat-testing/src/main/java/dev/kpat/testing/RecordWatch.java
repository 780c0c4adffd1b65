package dev.kpat.testing;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches for TokenRecords being created for PATs whose names start with a prefix: the first write of each issue,
 * seen within milliseconds, so a test can act (kill the operator) while issuance is under way.
 */
public final class RecordWatch implements AutoCloseable {
    private final CountDownLatch created;
    private final Watch watch;

    /** Counts down once for each record created for a PAT named {@code prefix...} in {@code namespace}. */
    public RecordWatch(KubernetesClient client, String namespace, String prefix, int count) {
        this.created = new CountDownLatch(count);
        this.watch = client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, LabelValues.of(namespace))
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, TokenRecord record) {
                        if (action == Action.ADDED && record.getSpec() != null && record.getSpec().getTokenRef() != null
                                && record.getSpec().getTokenRef().getName().startsWith(prefix)) {
                            created.countDown();
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // closed by the test, or the server ended it: await() then times out and says so
                    }
                });
    }

    /** Waits until {@code count} records were created. */
    public void await(Duration timeout) {
        try {
            if (!created.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(created.getCount() + " records still not created after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
