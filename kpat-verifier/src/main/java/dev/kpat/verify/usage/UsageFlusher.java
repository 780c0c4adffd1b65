package dev.kpat.verify.usage;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import dev.kpat.verify.DaemonThreads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage to TokenRecord status in batches (only records used since the last flush). Each write re-reads the
 * record and adds this replica's delta, under optimistic locking: a 409 means another replica wrote first, so it
 * re-reads and adds again. Counts from any number of replicas add up; a failed write is kept for the next flush.
 */
public final class UsageFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final UsageTracker tracker;
    private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("kpat-usage-flush");

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
        int written = 0;
        for (Map.Entry<String, Usage.Snapshot> e : tracker.drain().entrySet()) {
            try {
                if (write(e.getKey(), e.getValue())) {
                    written++;
                }
            } catch (KubernetesClientException ex) {
                LOG.warn("usage of {} not written (HTTP {}); kept for the next flush", e.getKey(), ex.getCode());
                tracker.restore(e.getKey(), e.getValue());
            }
        }
        return written;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("usage flush failed: {}", e.getClass().getSimpleName());
        }
    }

    private boolean write(String tokenId, Usage.Snapshot delta) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            TokenRecord record = client.resources(TokenRecord.class).withName(tokenId).get();
            if (record == null) {
                return false; // the record is gone (retention): nothing to count against
            }
            // a merge patch that carries the resourceVersion it was computed from is a precondition: the API server
            // answers 409 if another replica wrote in between (a plain status PUT is not checked by every server)
            Map<String, Object> patch = Map.of(
                    "metadata", Map.of("resourceVersion", record.getMetadata().getResourceVersion()),
                    "status", add(record.getStatus(), delta));
            try {
                client.resources(TokenRecord.class).withName(tokenId).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
        return false;
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
    }
}
