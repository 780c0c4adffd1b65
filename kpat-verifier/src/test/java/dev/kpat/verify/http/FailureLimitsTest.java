package dev.kpat.verify.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class FailureLimitsTest {
    private final TokenFingerprints fingerprints = new TokenFingerprints();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    @Test
    void failuresComeBackAtTheRateAsTheClockMoves() {
        FailureLimits limits = new FailureLimits(60, 2, clock);
        assertThat(limits.failed(fingerprints.of("a"), "ip:203.0.113.9")).isFalse();
        assertThat(limits.failed(fingerprints.of("b"), "ip:203.0.113.9")).isFalse();
        assertThat(limits.failed(fingerprints.of("c"), "ip:203.0.113.9")).isTrue();
        clock.advance(Duration.ofMillis(999));
        assertThat(limits.exhausted("ip:203.0.113.9")).as("60 a minute: not one back before a second").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(limits.failed(fingerprints.of("d"), "ip:203.0.113.9")).isFalse();
        assertThat(limits.failed(fingerprints.of("e"), "ip:203.0.113.9")).isTrue();
    }

    @Test
    void aClientIsLimitedByItsOwnFailuresOnly() {
        FailureLimits limits = new FailureLimits(60, 3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.failed(fingerprints.of("guess" + i), "ip:203.0.113.7")).isFalse();
        }
        assertThat(limits.failed(fingerprints.of("guess3"), "ip:203.0.113.7")).isTrue();
        assertThat(limits.exhausted("ip:203.0.113.7")).isTrue();
        assertThat(limits.failed(fingerprints.of("guess4"), "ip:198.51.100.1")).isFalse();
        assertThat(limits.exhausted("ip:198.51.100.1")).isFalse();
    }

    @Test
    void aTrustedCallerIsLimitedPerValueOnly() {
        FailureLimits limits = new FailureLimits(60, 3, clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(limits.failed(fingerprints.of("junk" + i), null)).isFalse();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(limits.failed(fingerprints.of("dead"), null)).isFalse();
        }
        assertThat(limits.failed(fingerprints.of("dead"), null)).as("one value retried").isTrue();
        assertThat(limits.exhausted(null)).isFalse();
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfDistinctValuesAndClients() {
        FailureLimits limits = new FailureLimits(60, 3, 100, clock);
        for (int i = 0; i < 10_000; i++) {
            limits.failed(fingerprints.of("junk" + i), "ip:10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(limits.trackedKeys()).isLessThanOrEqualTo(200);
    }

    @Test
    void fingerprintsAreKeyedPerProcessAndStable() {
        assertThat(fingerprints.of("kpat_x")).isEqualTo(fingerprints.of("kpat_x")).isNotEqualTo(fingerprints.of("kpat_y"));
        assertThat(new TokenFingerprints().of("kpat_x")).isNotEqualTo(fingerprints.of("kpat_x"));
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64AndNothingIsResolved() {
        assertThat(FailureLimits.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo(FailureLimits.addressKey("2001:db8:1:2::ffff"))
                .isNotEqualTo(FailureLimits.addressKey("2001:db8:1:3::1"));
        assertThat(FailureLimits.addressKey("192.0.2.1")).isEqualTo("ip:192.0.2.1");
        assertThat(FailureLimits.addressKey("evil.example:80")).isEqualTo("ip:evil.example:80");
    }

    @Test
    void basicCredentialsAsSentAndFormDecoded() {
        BasicCredentials c = BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(
                "my%20app:p%2Bw:rd".getBytes(StandardCharsets.UTF_8)));
        assertThat(c.id()).isEqualTo("my%20app");
        assertThat(c.secret()).isEqualTo("p%2Bw:rd");
        assertThat(c.formDecoded()).isEqualTo(new BasicCredentials("my app", "p+w:rd"));
        assertThat(c.toString()).doesNotContain("rd");
        assertThat(BasicCredentials.parse("Basic !!!")).isNull();
        assertThat(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(
                StandardCharsets.UTF_8)))).isNull();
        assertThat(BasicCredentials.parse("Bearer x")).isNull();
    }
}
