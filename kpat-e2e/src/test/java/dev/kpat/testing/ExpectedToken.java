package dev.kpat.testing;

import java.time.Duration;

/**
 * What a test did to one token, so what the operator must have made of it once it has converged
 * ({@link TokenInvariants#converged}).
 *
 * @param end      whether the token is Active, Revoked or gone
 * @param values   how many values were issued for it (exactly, or at least when {@code atLeast})
 * @param atLeast  scheduled rotation keeps issuing values: the count is a floor
 * @param previous how each value but the last was retired when the next one came, or null when there was one value
 * @param grace    the grace period of a scheduled rotation, else null
 */
public record ExpectedToken(End end, int values, boolean atLeast, Retired previous, Duration grace) {

    public enum End { ACTIVE, REVOKED, DELETED }

    public enum Retired {
        /** {@code kpat.dev/rotate}: revoked at once, reason ManualRotation. */
        REVOKED_ON_REQUEST,
        /** Scheduled rotation: valid until the end of its grace period (or its expiry, if sooner). */
        SUPERSEDED
    }

    /** One value, in its Secret. */
    public static ExpectedToken issued() {
        return new ExpectedToken(End.ACTIVE, 1, false, null, null);
    }

    /** One more value, after a new {@code kpat.dev/rotate} value. */
    public ExpectedToken rotatedOnRequest() {
        return new ExpectedToken(end, values + 1, atLeast, Retired.REVOKED_ON_REQUEST, null);
    }

    /** At least one more value, from scheduled rotation with this grace period. */
    public ExpectedToken rotatedOnSchedule(Duration gracePeriod) {
        return new ExpectedToken(end, values + 1, true, Retired.SUPERSEDED, gracePeriod);
    }

    /** {@code spec.revoked: true}. */
    public ExpectedToken revoked() {
        return new ExpectedToken(End.REVOKED, values, atLeast, previous, grace);
    }

    /** The PAT deleted. */
    public ExpectedToken deleted() {
        return new ExpectedToken(End.DELETED, values, atLeast, previous, grace);
    }
}
