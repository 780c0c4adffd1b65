package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.lifecycle.ReuseResponse.Value;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReuseResponseTest {
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static Value live(String id) {
        return new Value(id, null, null, null);
    }

    private static Value revoked(String id, String reason, int revokedAt, Integer reusedAt) {
        return new Value(id, reason, at(revokedAt), reusedAt == null ? null : at(reusedAt));
    }

    @Test
    void aValueRotatedAwayAfterALeakAndUsedAgainRevokesTheCurrentOne() {
        Value a = revoked("a", "ManualRotation", 10, 12);
        Value b = live("b");
        assertThat(ReuseResponse.trigger(true, b, at(10), List.of(a, b))).contains(a);
    }

    @Test
    void nothingWithoutRevokeOnReuseOrWithoutADetection() {
        Value b = live("b");
        assertThat(ReuseResponse.trigger(false, b, at(10), List.of(revoked("a", "ManualRotation", 10, 12), b)))
                .isEmpty();
        assertThat(ReuseResponse.trigger(true, b, at(10), List.of(revoked("a", "ManualRotation", 10, null), b)))
                .isEmpty();
    }

    @Test
    void valuesRetiredByRoutineAreNotALeak() {
        Value b = live("b");
        for (String reason : new String[] {"SecretDeleted", "SecretTampered", "OwnerDeleted", "Deleted"}) {
            assertThat(ReuseResponse.trigger(true, b, at(10), List.of(revoked("a", reason, 10, 12), b)))
                    .as(reason).isEmpty();
        }
    }

    @Test
    void aCurrentValueAlreadyRevokedOrIssuedAfterTheDetectionIsLeftAlone() {
        Value a = revoked("a", "ManualRotation", 10, 12);
        assertThat(ReuseResponse.trigger(true, revoked("b", "ReuseDetected", 12, null), at(10), List.of(a)))
                .isEmpty();
        // the detection concerns values before the current one (the user rotated once more since)
        assertThat(ReuseResponse.trigger(true, live("c"), at(13), List.of(a, live("c")))).isEmpty();
    }

    @Test
    void afterAHoldTheUsersRotationStartsANewFamily() {
        // a rotated away at 10; used at 12 so b was revoked for reuse; the user rotated at 20 (c)
        Value a = revoked("a", "ManualRotation", 10, 30);
        Value b = revoked("b", "ReuseDetected", 12, 31);
        Value c = revoked("c", "ManualRotation", 40, null);
        Value d = live("d");
        // a and b, dead before the hold was answered, keep being tried: d stays
        assertThat(ReuseResponse.trigger(true, d, at(40), List.of(a, b, c, d))).isEmpty();
        // c, rotated away after the hold, is used: d goes
        Value cUsed = revoked("c", "ManualRotation", 40, 41);
        assertThat(ReuseResponse.trigger(true, d, at(40), List.of(a, b, cUsed, d))).contains(cUsed);
    }
}
