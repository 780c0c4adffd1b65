package dev.kpat.lifecycle;

import dev.kpat.api.PersonalAccessTokenSpec;
import java.time.Instant;

/**
 * What spec validation looks at.
 *
 * @param issuedAt when the current value was issued, or null before the first one (so "expiresAt in the past" is
 *                 an error only on create)
 */
public record SpecInput(PersonalAccessTokenSpec spec, OperatorSettings settings, Instant now, Instant issuedAt) {
}
