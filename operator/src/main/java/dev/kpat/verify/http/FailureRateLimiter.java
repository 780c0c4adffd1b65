package dev.kpat.verify.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed attempts per client address (token guessing, a broken client retrying a dead token): each failure
 * takes a token from the client's bucket; an empty bucket means 429 until it refills. Successful requests cost
 * nothing, so a busy healthy client is never throttled.
 */
public final class FailureRateLimiter {
    private static final int MAX_CLIENTS = 100_000;

    private final long perMinute;
    private final long burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public FailureRateLimiter(long perMinute, long burst) {
        if (perMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("failure rate limit and burst must be positive");
        }
        this.perMinute = perMinute;
        this.burst = burst;
    }

    /** Whether this client may make another attempt now. */
    public boolean allows(String client) {
        Bucket b = buckets.get(client);
        return b == null || b.getAvailableTokens() > 0;
    }

    public void failed(String client) {
        if (buckets.size() >= MAX_CLIENTS) {
            // a flood of distinct addresses: forget buckets that refilled rather than grow without bound
            buckets.values().removeIf(b -> b.getAvailableTokens() >= burst);
        }
        buckets.computeIfAbsent(client, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build()).tryConsume(1);
    }
}
