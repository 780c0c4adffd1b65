package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimesTest {
    @Test
    void writesWhatInstantToStringWrites() {
        IsoTimes times = new IsoTimes();
        SplittableRandom random = new SplittableRandom(42);
        long second = Instant.parse("2026-11-24T12:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            // mostly the same few seconds (the cache), with every precision Instant.toString prints
            long s = second + random.nextInt(3) + (i % 1000 == 0 ? random.nextLong(-5_000_000_000L, 5_000_000_000L) : 0);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(s, nano);
            assertThat(times.format(t)).isEqualTo(t.toString());
        }
    }
}
