package dev.kpat.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Events recently recorded, so that the same Event again (same object, type, reason and message) bumps the
 * stored Event's {@code count} instead of creating another object, as client-go's EventCorrelator does. Bounded: the
 * least recently recorded are forgotten first (an Event repeated after that starts a new object, as after a restart).
 */
final class RepeatedEvents {
    /** client-go's cache size for the same purpose. */
    static final int DEFAULT_CAPACITY = 4096;

    /** What makes two Events the same. */
    record Key(String namespace, String objectUid, String type, String reason, String message) {
    }

    /** The stored Event a key was recorded as, and how often. */
    record Seen(String name, int count, String firstTimestamp) {
    }

    private final Map<Key, Seen> seen;

    RepeatedEvents(int capacity) {
        this.seen = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Seen> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Seen get(Key key) {
        return seen.get(key);
    }

    synchronized void put(Key key, Seen value) {
        seen.put(key, value);
    }

    synchronized void remove(Key key) {
        seen.remove(key);
    }

    synchronized int size() {
        return seen.size();
    }
}
