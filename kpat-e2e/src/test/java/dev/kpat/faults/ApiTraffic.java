package dev.kpat.faults;

import java.time.Clock;
import java.util.EnumMap;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Every request through the fault proxy, by verb, by fault and by wall-clock second. */
final class ApiTraffic {
    private final Clock clock;
    private final Map<ApiVerb, LongAdder> byVerb = new ConcurrentHashMap<>();
    private final Map<Fault, LongAdder> byFault = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, LongAdder> requestsPerSecond = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, LongAdder> faultsPerSecond = new ConcurrentSkipListMap<>();

    ApiTraffic(Clock clock) {
        this.clock = clock;
    }

    void record(ApiVerb verb, Fault fault) {
        long second = clock.millis() / 1000;
        byVerb.computeIfAbsent(verb, v -> new LongAdder()).increment();
        byFault.computeIfAbsent(fault, f -> new LongAdder()).increment();
        requestsPerSecond.computeIfAbsent(second, s -> new LongAdder()).increment();
        if (fault != Fault.NONE) {
            faultsPerSecond.computeIfAbsent(second, s -> new LongAdder()).increment();
        }
    }

    long requests() {
        return byVerb.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long faults() {
        return byFault.entrySet().stream().filter(e -> e.getKey() != Fault.NONE).mapToLong(e -> e.getValue().sum())
                .sum();
    }

    long count(Fault fault) {
        LongAdder a = byFault.get(fault);
        return a == null ? 0 : a.sum();
    }

    Map<ApiVerb, Long> byVerb() {
        Map<ApiVerb, Long> out = new EnumMap<>(ApiVerb.class);
        byVerb.forEach((v, n) -> out.put(v, n.sum()));
        return out;
    }

    Map<Fault, Long> byFault() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        byFault.forEach((f, n) -> {
            if (f != Fault.NONE) {
                out.put(f, n.sum());
            }
        });
        return out;
    }

    /** Requests per second over the seconds from {@code fromMillis} to {@code toMillis}, idle seconds included. */
    Rate rate(long fromMillis, long toMillis) {
        return Rate.of(requestsPerSecond, fromMillis / 1000, toMillis / 1000);
    }

    /** Injected faults per second over the same window. */
    Rate faultRate(long fromMillis, long toMillis) {
        return Rate.of(faultsPerSecond, fromMillis / 1000, toMillis / 1000);
    }

    /** Per second in a window: the mean and the busiest second. */
    record Rate(double mean, long peak) {
        static Rate of(ConcurrentSkipListMap<Long, LongAdder> perSecond, long fromSecond, long toSecond) {
            long seconds = toSecond - fromSecond + 1;
            LongSummaryStatistics s = perSecond.subMap(fromSecond, true, toSecond, true).values().stream()
                    .collect(Collectors.summarizingLong(LongAdder::sum));
            return new Rate((double) s.getSum() / seconds, s.getCount() == 0 ? 0 : s.getMax());
        }

        @Override
        public String toString() {
            return String.format("mean %.1f/s, peak %d/s", mean, peak);
        }
    }
}
