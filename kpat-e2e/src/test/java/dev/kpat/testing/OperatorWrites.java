package dev.kpat.testing;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches the operator's writes for some tokens: every TokenRecord and kpat Secret created, changed or deleted for
 * them (only the operator writes those), seen within milliseconds, so a test can kill the operator in the middle of
 * what it does for them.
 */
public final class OperatorWrites implements AutoCloseable {
    private final Set<String> tokens;
    private final CountDownLatch remaining;
    private final AtomicReference<Instant> first = new AtomicReference<>();
    private final Watch records;
    private final Watch secrets;

    /**
     * @param tokens the PAT names whose records and Secrets count
     * @param count  how many writes {@link #await} waits for
     */
    public OperatorWrites(KubernetesClient client, String namespace, Set<String> tokens, int count) {
        this.tokens = Set.copyOf(tokens);
        this.remaining = new CountDownLatch(count);
        this.records = client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, LabelValues.of(namespace))
                .watch(new Counting<>());
        this.secrets = client.secrets().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .watch(new Counting<Secret>());
    }

    /** Waits until the operator made {@code count} writes for the tokens; returns when it made the first. */
    public Instant await(Duration timeout) {
        try {
            if (!remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(remaining.getCount() + " writes still not seen after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return first.get();
    }

    @Override
    public void close() {
        records.close();
        secrets.close();
    }

    private final class Counting<T extends HasMetadata> implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            // both kinds carry the exact PAT name in this annotation (the label of the same key may be shortened)
            Map<String, String> annotations = resource.getMetadata().getAnnotations();
            String token = annotations == null ? null : annotations.get(resource instanceof Secret ? Labels.TOKEN_NAME
                    : Labels.PAT_NAME);
            if (token != null && tokens.contains(token) && action != Action.BOOKMARK && action != Action.ERROR) {
                first.compareAndSet(null, Instant.now());
                remaining.countDown();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // closed by the test, or the server ended it: await() then times out and says so
        }
    }
}
