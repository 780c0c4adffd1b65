package dev.kpat.verify.reuse;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, on the request path and without I/O, which uses of a revoked value become a signal: the first in each
 * interval per token id (per verifier replica), so an attacker replaying a dead value thousands of times makes one
 * Event a minute, not thousands. Counts the uses in between, for the next signal's message.
 */
final class ReuseSignals {
    /** One interval of one token id: when it started and how many uses it swallowed. */
    private static final class Window {
        final long startMillis;
        long swallowed;

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final long intervalMillis;

    ReuseSignals(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /**
     * Records a use of that token id at {@code nowMillis}.
     *
     * @return -1 when the use falls in the current interval (no signal); else the number of uses the previous
     *         interval swallowed (a signal is due)
     */
    long use(String tokenId, long nowMillis) {
        long[] due = {-1};
        windows.compute(tokenId, (id, w) -> {
            if (w == null || nowMillis - w.startMillis >= intervalMillis || nowMillis < w.startMillis) {
                due[0] = w == null ? 0 : w.swallowed;
                return new Window(nowMillis);
            }
            w.swallowed++;
            return w;
        });
        return due[0];
    }

    /** Forgets windows long over, so token ids tried once do not stay in memory. */
    void expire(long nowMillis) {
        windows.values().removeIf(w -> nowMillis - w.startMillis >= 2 * intervalMillis);
    }

    int size() {
        return windows.size();
    }
}
