package dev.kpat.lifecycle;

import dev.kpat.token.TokenFormat;
import java.time.Duration;

/** Operator-wide settings, from command-line flags. */
public record OperatorSettings(
        String tokenPrefix,
        Duration defaultLifetime,
        Duration maxLifetime,
        boolean allowNonExpiring,
        Duration defaultGracePeriod,
        Duration recordRetention) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(366);
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RECORD_RETENTION = Duration.ofDays(30);

    public OperatorSettings {
        if (!TokenFormat.PREFIX_PATTERN.matcher(tokenPrefix).matches()) {
            throw new IllegalArgumentException("--token-prefix '" + tokenPrefix + "' must match "
                    + TokenFormat.PREFIX_PATTERN.pattern());
        }
        if (defaultLifetime.compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("--default-lifetime must not exceed --max-lifetime");
        }
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(TokenFormat.DEFAULT_PREFIX, DEFAULT_LIFETIME, DEFAULT_MAX_LIFETIME, false,
                DEFAULT_GRACE_PERIOD, DEFAULT_RECORD_RETENTION);
    }

    public OperatorSettings withAllowNonExpiring(boolean allow) {
        return new OperatorSettings(tokenPrefix, defaultLifetime, maxLifetime, allow, defaultGracePeriod,
                recordRetention);
    }
}
