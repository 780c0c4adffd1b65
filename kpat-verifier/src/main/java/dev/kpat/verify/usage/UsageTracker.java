package dev.kpat.verify.usage;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts uses per token id in memory, on the request path; {@link UsageFlusher} writes them out in batches. */
public final class UsageTracker {
    private final ConcurrentHashMap<String, Usage> pending = new ConcurrentHashMap<>();

    public void record(String tokenId, String clientIp, long nowMillis) {
        while (!pending.computeIfAbsent(tokenId, k -> new Usage()).add(clientIp, nowMillis)) {
            // the Usage was drained between lookup and add; the next computeIfAbsent makes a fresh one
            Thread.onSpinWait();
        }
    }

    /** Takes every token's uses since the last drain. */
    Map<String, Usage.Snapshot> drain() {
        Map<String, Usage.Snapshot> out = new HashMap<>();
        for (String id : pending.keySet()) {
            Usage u = pending.remove(id);
            if (u != null) {
                out.put(id, u.close());
            }
        }
        return out;
    }

    /** Puts back uses whose flush failed, so the next flush carries them. */
    void restore(String tokenId, Usage.Snapshot snapshot) {
        while (!pending.computeIfAbsent(tokenId, k -> new Usage()).addEarlier(snapshot)) {
            Thread.onSpinWait();
        }
    }
}
