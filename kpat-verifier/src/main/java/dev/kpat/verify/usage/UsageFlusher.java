package dev.kpat.verify.usage;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import dev.kpat.verify.DaemonThreads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage to TokenRecord status in batches (only records used since the last flush), several records at a time.
 * Each write adds this replica's delta to the record's count under optimistic locking: a merge patch carrying the
 * resourceVersion it was computed from. The base is the record as this replica last wrote it, so a replica that is
 * the only writer of a record never reads it; a 409 means another replica wrote in between, and the write is done
 * again from a fresh read. Counts from any number of replicas add up; a failed write is kept for the next flush.
 */
public final class UsageFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);
    private static final int ATTEMPTS = 5;
    /** Records written at once: enough to hide a round trip, few enough not to burst the API server. */
    private static final int IN_FLIGHT = 4;
    /** Records whose last write is remembered; beyond it, the least recently written one is read again. */
    private static final int REMEMBERED = 20_000;

    private final KubernetesClient client;
    private final UsageTracker tracker;
    private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("kpat-usage-flush");
    private final ExecutorService writers = Executors.newFixedThreadPool(IN_FLIGHT, DaemonThreads.factory(
            "kpat-usage-write"));
    private final Map<String, Written> lastWritten = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /** A record as this replica's last write left it. */
    private record Written(String resourceVersion, TokenRecordStatus status) {
    }

    public UsageFlusher(KubernetesClient client, UsageTracker tracker) {
        this.client = client;
        this.tracker = tracker;
    }

    public UsageFlusher start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Flushes now; returns how many records were written. */
    public int flush() {
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (Map.Entry<String, Usage.Snapshot> e : tracker.drain().entrySet()) {
            writes.add(CompletableFuture.supplyAsync(() -> writeOrKeep(e.getKey(), e.getValue()), writers));
        }
        int written = 0;
        for (CompletableFuture<Boolean> w : writes) {
            if (w.join()) {
                written++;
            }
        }
        return written;
    }

    private boolean writeOrKeep(String tokenId, Usage.Snapshot delta) {
        try {
            return write(tokenId, delta);
        } catch (KubernetesClientException ex) {
            LOG.warn("usage of {} not written (HTTP {}); kept for the next flush", tokenId, ex.getCode());
            tracker.restore(tokenId, delta);
            return false;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("usage flush failed: {}", e.getClass().getSimpleName());
        }
    }

    private boolean write(String tokenId, Usage.Snapshot delta) {
        Written base = lastWritten.get(tokenId);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (base == null) {
                TokenRecord record = client.resources(TokenRecord.class).withName(tokenId).get();
                if (record == null) {
                    return false; // the record is gone (retention): nothing to count against
                }
                base = new Written(record.getMetadata().getResourceVersion(), record.getStatus());
            }
            // a merge patch that carries the resourceVersion it was computed from is a precondition: the API server
            // answers 409 if another replica wrote in between (a plain status PUT is not checked by every server)
            Map<String, Object> patch = Map.of(
                    "metadata", Map.of("resourceVersion", base.resourceVersion()),
                    "status", add(base.status(), delta));
            try {
                TokenRecord updated = client.resource(named(tokenId)).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
                lastWritten.put(tokenId, new Written(updated.getMetadata().getResourceVersion(),
                        updated.getStatus()));
                return true;
            } catch (KubernetesClientException e) {
                lastWritten.remove(tokenId);
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                base = null; // another replica wrote first: read what it wrote and add to that
            }
        }
        return false;
    }

    /** The record by name only: a patch through an item is sent as is, while one by name is read first. */
    private static TokenRecord named(String tokenId) {
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(tokenId).build());
        return r;
    }

    static TokenRecordStatus add(TokenRecordStatus old, Usage.Snapshot delta) {
        TokenRecordStatus s = new TokenRecordStatus();
        long count = old == null || old.getUsageCount() == null ? 0 : old.getUsageCount();
        s.setUsageCount(count + delta.count());
        Instant last = Instant.ofEpochMilli(delta.lastUsedAt());
        if (old != null && old.getLastUsedAt() != null && Instant.parse(old.getLastUsedAt()).isAfter(last)) {
            last = Instant.parse(old.getLastUsedAt());
        }
        s.setLastUsedAt(last.toString());
        LinkedHashSet<String> ips = new LinkedHashSet<>(old == null || old.getRecentClientIPs() == null
                ? List.of() : old.getRecentClientIPs());
        for (String ip : delta.ips()) {
            ips.remove(ip);
            ips.add(ip);
        }
        List<String> all = new ArrayList<>(ips);
        s.setRecentClientIPs(all.subList(Math.max(0, all.size() - Usage.RECENT_IPS), all.size()));
        return s;
    }

    @Override
    public void close() {
        scheduler.shutdown();
        flushQuietly();
        writers.shutdown();
    }
}
