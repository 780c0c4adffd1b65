package dev.kpat.verify.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets by key, at most {@code maxKeys} of them. When full, buckets that have refilled are forgotten (at most
 * one sweep a second, so a flood of new keys does not make every request scan the map); keys that still find no
 * room share one overflow bucket. Memory stays bounded whatever the keys, and since only failures consume, sharing
 * the overflow bucket can delay failures but never a valid token.
 */
final class BoundedBuckets<K> {
    private final long perMinute;
    private final long burst;
    private final int maxKeys;
    private final ConcurrentHashMap<K, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final AtomicLong lastSweep = new AtomicLong();
    private final TimeMeter time;

    BoundedBuckets(long perMinute, long burst, int maxKeys, Clock clock) {
        this.perMinute = perMinute;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.time = new ClockTime(clock);
        this.overflow = newBucket();
    }

    private Bucket newBucket() {
        return Bucket.builder().withCustomTimePrecision(time).addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build();
    }

    /** Refills follow the verifier's clock (tests move it instead of racing the wall clock). */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    /** Takes one from the key's bucket; false when it was empty (the key is over its limit). */
    boolean consume(K key) {
        return bucketFor(key).tryConsume(1);
    }

    /** Whether the key's bucket is empty now, without taking from it. */
    boolean exhausted(K key) {
        Bucket b = buckets.get(key);
        if (b == null) {
            b = buckets.size() >= maxKeys ? overflow : null;
        }
        return b != null && b.getAvailableTokens() <= 0;
    }

    int size() {
        return buckets.size();
    }

    private Bucket bucketFor(K key) {
        Bucket b = buckets.get(key);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= maxKeys) {
            sweep();
            if (buckets.size() >= maxKeys) {
                return overflow;
            }
        }
        return buckets.computeIfAbsent(key, k -> newBucket());
    }

    private void sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last >= 1_000_000_000L && lastSweep.compareAndSet(last, now)) {
            buckets.values().removeIf(b -> b.getAvailableTokens() >= burst);
        }
    }
}
