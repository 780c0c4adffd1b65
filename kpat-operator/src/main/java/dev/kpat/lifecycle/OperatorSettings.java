package dev.kpat.lifecycle;

import dev.kpat.token.TokenFormat;
import java.time.Duration;

/**
 * Operator-wide settings, from command-line flags.
 *
 * @param usageRefreshInterval how often at most a token's status takes the usage verifiers write to its record: the
 *                             verifiers' flush interval, so each flush shows without a write per flush
 * @param rotationSpread       the share of a token's renewal window over which scheduled rotations are spread
 *                             ({@link RenewalJitter}); 0 rotates every token at the start of its window
 */
public record OperatorSettings(
        String tokenPrefix,
        Duration defaultLifetime,
        Duration maxLifetime,
        boolean allowNonExpiring,
        Duration defaultGracePeriod,
        Duration recordRetention,
        Duration usageRefreshInterval,
        double rotationSpread) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(366);
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RECORD_RETENTION = Duration.ofDays(30);
    /** The verifier's default {@code --usage-flush-interval}. */
    public static final Duration DEFAULT_USAGE_REFRESH_INTERVAL = Duration.ofSeconds(10);
    public static final double DEFAULT_ROTATION_SPREAD = 0.2;
    /** A wider spread would leave too little of the window to retry a failed rotation in. */
    public static final double MAX_ROTATION_SPREAD = 0.5;

    public OperatorSettings {
        if (!TokenFormat.PREFIX_PATTERN.matcher(tokenPrefix).matches()) {
            throw new IllegalArgumentException("--token-prefix '" + tokenPrefix + "' must match "
                    + TokenFormat.PREFIX_PATTERN.pattern());
        }
        if (defaultLifetime.compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("--default-lifetime must not exceed --max-lifetime");
        }
        if (usageRefreshInterval.isNegative() || usageRefreshInterval.isZero()) {
            throw new IllegalArgumentException("the usage refresh interval must be positive");
        }
        if (!(rotationSpread >= 0 && rotationSpread <= MAX_ROTATION_SPREAD)) {
            throw new IllegalArgumentException("--rotation-spread must be between 0 and " + MAX_ROTATION_SPREAD
                    + ", not " + rotationSpread);
        }
    }

    public OperatorSettings(String tokenPrefix, Duration defaultLifetime, Duration maxLifetime,
                            boolean allowNonExpiring, Duration defaultGracePeriod, Duration recordRetention) {
        this(tokenPrefix, defaultLifetime, maxLifetime, allowNonExpiring, defaultGracePeriod, recordRetention,
                DEFAULT_USAGE_REFRESH_INTERVAL, DEFAULT_ROTATION_SPREAD);
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(TokenFormat.DEFAULT_PREFIX, DEFAULT_LIFETIME, DEFAULT_MAX_LIFETIME, false,
                DEFAULT_GRACE_PERIOD, DEFAULT_RECORD_RETENTION);
    }

    public OperatorSettings withAllowNonExpiring(boolean allow) {
        return new OperatorSettings(tokenPrefix, defaultLifetime, maxLifetime, allow, defaultGracePeriod,
                recordRetention, usageRefreshInterval, rotationSpread);
    }

    /** These settings with another default lifetime (a policy's). */
    public OperatorSettings withDefaultLifetime(Duration lifetime) {
        return new OperatorSettings(tokenPrefix, lifetime, maxLifetime, allowNonExpiring, defaultGracePeriod,
                recordRetention, usageRefreshInterval, rotationSpread);
    }

    public OperatorSettings withUsageRefreshInterval(Duration interval) {
        return new OperatorSettings(tokenPrefix, defaultLifetime, maxLifetime, allowNonExpiring, defaultGracePeriod,
                recordRetention, interval, rotationSpread);
    }

    public OperatorSettings withRotationSpread(double spread) {
        return new OperatorSettings(tokenPrefix, defaultLifetime, maxLifetime, allowNonExpiring, defaultGracePeriod,
                recordRetention, usageRefreshInterval, spread);
    }
}
