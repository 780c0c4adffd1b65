package dev.kpat.testing;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the watch events of one kind (each a write the API server stored) while it is open. */
public final class WatchCount implements AutoCloseable {
    private final AtomicInteger count = new AtomicInteger();
    private final Watch watch;

    private <T> WatchCount(Watchable<T> watchable, Watcher.Action action) {
        this.watch = watchable.watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action received, T resource) {
                if (received == action) {
                    count.incrementAndGet();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the test, or the server ended it: the count stops
            }
        });
    }

    /** Counts {@code action} events of what {@code watchable} selects, from now on. */
    public static <T> WatchCount of(Watchable<T> watchable, Watcher.Action action) {
        return new WatchCount(watchable, action);
    }

    public int count() {
        return count.get();
    }

    @Override
    public void close() {
        watch.close();
    }
}
