package dev.kpat.verify.reuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReuseSignalsTest {
    @Test
    void oneSignalPerTokenIdPerIntervalCountingTheUsesInBetween() {
        ReuseSignals signals = new ReuseSignals(60_000);
        assertThat(signals.use("tok-a", 0)).isZero();
        assertThat(signals.use("tok-b", 10)).as("another token id has its own interval").isZero();
        for (int i = 1; i <= 5; i++) {
            assertThat(signals.use("tok-a", i * 1_000L)).isEqualTo(-1);
        }
        assertThat(signals.use("tok-a", 59_999)).isEqualTo(-1);
        assertThat(signals.use("tok-a", 60_000)).as("the next interval signals, with what it swallowed").isEqualTo(6);
        assertThat(signals.use("tok-a", 60_001)).isEqualTo(-1);
    }

    @Test
    void aClockThatJumpsBackStartsAFreshInterval() {
        ReuseSignals signals = new ReuseSignals(60_000);
        assertThat(signals.use("tok-a", 100_000)).isZero();
        assertThat(signals.use("tok-a", 50_000)).isZero();
    }

    @Test
    void windowsLongOverAreForgotten() {
        ReuseSignals signals = new ReuseSignals(60_000);
        signals.use("tok-a", 0);
        signals.use("tok-b", 100_000);
        signals.expire(120_000);
        assertThat(signals.size()).isEqualTo(1);
        assertThat(signals.use("tok-a", 120_001)).as("a forgotten token id signals at once").isZero();
    }
}
