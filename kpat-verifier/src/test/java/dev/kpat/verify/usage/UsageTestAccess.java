package dev.kpat.verify.usage;

import dev.kpat.api.TokenRecordStatus;
import java.util.List;
import java.util.Map;

/** Opens the package-private parts of usage tracking to tests in other packages. */
public final class UsageTestAccess {
    private UsageTestAccess() {
    }

    public static Map<String, Object> drain(UsageTracker tracker) {
        return Map.copyOf(tracker.drain());
    }

    public static long count(Object snapshot) {
        return ((Usage.Snapshot) snapshot).count();
    }

    public static List<String> ips(Object snapshot) {
        return ((Usage.Snapshot) snapshot).ips();
    }

    public static TokenRecordStatus add(TokenRecordStatus old, long count, long lastUsedAt, List<String> ips) {
        return UsageFlusher.add(old, new Usage.Snapshot(count, lastUsedAt, ips));
    }
}
