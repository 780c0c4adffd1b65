package dev.kpat.verify.usage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Uses of one token since the last flush. Once drained it is closed, so a request that raced the drain records into
 * a fresh one instead of into a snapshot already sent: no use is lost or counted twice.
 */
final class Usage {
    static final int RECENT_IPS = 5;

    private long count;
    private long lastUsedAt;
    /** Distinct client addresses, oldest first. */
    private final LinkedHashSet<String> ips = new LinkedHashSet<>();
    /** The most recent address: a client that calls again and again needs no reordering. */
    private String lastIp;
    private boolean closed;

    synchronized boolean add(String ip, long nowMillis) {
        if (closed) {
            return false;
        }
        count++;
        lastUsedAt = Math.max(lastUsedAt, nowMillis);
        if (ip != null && !ip.equals(lastIp)) {
            ips.remove(ip);
            ips.add(ip);
            if (ips.size() > RECENT_IPS) {
                ips.remove(ips.iterator().next());
            }
            lastIp = ip;
        }
        return true;
    }

    /** Adds uses that happened before the ones already here (a failed flush being put back). */
    synchronized boolean addEarlier(Snapshot earlier) {
        if (closed) {
            return false;
        }
        count += earlier.count();
        lastUsedAt = Math.max(lastUsedAt, earlier.lastUsedAt());
        LinkedHashSet<String> merged = new LinkedHashSet<>(earlier.ips());
        merged.removeAll(ips);
        merged.addAll(ips);
        ips.clear();
        List<String> all = new ArrayList<>(merged);
        ips.addAll(all.subList(Math.max(0, all.size() - RECENT_IPS), all.size()));
        lastIp = all.isEmpty() ? null : all.get(all.size() - 1);
        return true;
    }

    synchronized Snapshot close() {
        closed = true;
        return new Snapshot(count, lastUsedAt, new ArrayList<>(ips));
    }

    /** What a flush adds to a record's status: a count to add, a time, and addresses oldest first. */
    record Snapshot(long count, long lastUsedAt, List<String> ips) {
    }
}
