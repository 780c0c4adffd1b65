package dev.kpat.lifecycle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Spreads scheduled rotations over the start of the renewal window: tokens issued at the same instant (a bulk apply,
 * a restore) would otherwise all fall due at once and rotate in one storm. Each token is due at most a share (the
 * operator's {@code --rotation-spread}) of its {@code renewBefore} after the plain renewal time, by a fraction fixed
 * by its uid, so every replica and every restart computes the same instant. The value is still replaced well before
 * it expires.
 */
public final class RenewalJitter {
    private static final double TWO_TO_32 = 4294967296.0;

    private RenewalJitter() {
    }

    /**
     * How long after the plain renewal time the token of {@code uid} is due, at most {@code share} of
     * {@code renewBefore}; zero without a uid or window.
     */
    public static Duration delay(String uid, Duration renewBefore, double share) {
        if (uid == null || renewBefore == null || renewBefore.isNegative() || renewBefore.isZero()) {
            return Duration.ZERO;
        }
        long spreadMillis = (long) (renewBefore.toMillis() * share);
        return Duration.ofMillis((long) (fraction(uid) * spreadMillis));
    }

    /** A fraction in [0, 1) from the uid, the same in every JVM (CRC-32 of its bytes). */
    static double fraction(String uid) {
        CRC32 crc = new CRC32();
        crc.update(uid.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() / TWO_TO_32;
    }
}
