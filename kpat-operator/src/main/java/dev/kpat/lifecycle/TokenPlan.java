package dev.kpat.lifecycle;

import dev.kpat.token.ScopeSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A validated spec, resolved against the operator settings: what every value issued for the token looks like.
 *
 * @param fixedExpiry  {@code spec.expiresAt}, or null when the lifetime is relative
 * @param lifetime     the relative lifetime of each value ({@code ttl} or the default); null with a fixed expiry or
 *                     for a non-expiring token
 * @param renewBefore  null unless rotation is enabled
 * @param revokeOnReuse revoke the current value when a value revoked after a leak is presented
 * @param renewalDelay  how long after {@code expiry - renewBefore} the value is due ({@link RenewalJitter})
 */
public record TokenPlan(
        String owner,
        List<String> scopes,
        Instant fixedExpiry,
        Duration lifetime,
        boolean rotationEnabled,
        Duration renewBefore,
        Duration gracePeriod,
        boolean revokeOnReuse,
        Duration renewalDelay) {

    public TokenPlan(String owner, List<String> scopes, Instant fixedExpiry, Duration lifetime, boolean rotationEnabled,
                     Duration renewBefore, Duration gracePeriod, boolean revokeOnReuse) {
        this(owner, scopes, fixedExpiry, lifetime, rotationEnabled, renewBefore, gracePeriod, revokeOnReuse,
                Duration.ZERO);
    }

    public TokenPlan(String owner, List<String> scopes, Instant fixedExpiry, Duration lifetime, boolean rotationEnabled,
                     Duration renewBefore, Duration gracePeriod) {
        this(owner, scopes, fixedExpiry, lifetime, rotationEnabled, renewBefore, gracePeriod, false);
    }

    /** This plan, with {@code revokeOnReuse} turned on (a policy enforces it). */
    public TokenPlan withRevokeOnReuse() {
        return new TokenPlan(owner, scopes, fixedExpiry, lifetime, rotationEnabled, renewBefore, gracePeriod, true,
                renewalDelay);
    }

    /** This plan, due for rotation at the token's own instant of the renewal window ({@link RenewalJitter}). */
    public TokenPlan withRenewalJitterFor(String tokenUid, double spread) {
        return new TokenPlan(owner, scopes, fixedExpiry, lifetime, rotationEnabled, renewBefore, gracePeriod,
                revokeOnReuse, RenewalJitter.delay(tokenUid, renewBefore, spread));
    }

    public boolean expires() {
        return fixedExpiry != null || lifetime != null;
    }

    /** When a value issued at {@code issuedAt} expires; null for a non-expiring token. */
    public Instant expiryFor(Instant issuedAt) {
        if (fixedExpiry != null) {
            return fixedExpiry;
        }
        return lifetime == null ? null : issuedAt.plus(lifetime);
    }

    /** When a value issued at {@code issuedAt} is due for scheduled rotation; null when it never is. */
    public Instant renewalTimeFor(Instant issuedAt) {
        Instant expiry = expiryFor(issuedAt);
        return rotationEnabled && expiry != null ? expiry.minus(renewBefore).plus(renewalDelay) : null;
    }

    public ScopeSet scopeSet() {
        return ScopeSet.of(scopes);
    }
}
