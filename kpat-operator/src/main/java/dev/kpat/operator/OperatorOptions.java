package dev.kpat.operator;

import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.token.Durations;
import dev.kpat.token.TokenFormat;
import picocli.CommandLine.Option;

/** The operator's lifecycle flags, shared by {@code run} and {@code demo}. */
public class OperatorOptions {
    @Option(names = "--token-prefix", defaultValue = TokenFormat.DEFAULT_PREFIX,
            description = "Prefix of issued token values (default: ${DEFAULT-VALUE}).")
    String tokenPrefix;

    @Option(names = "--default-lifetime", defaultValue = "90d",
            description = "Lifetime of a token that sets neither expiresAt nor ttl (default: ${DEFAULT-VALUE}).")
    String defaultLifetime;

    @Option(names = "--max-lifetime", defaultValue = "366d",
            description = "Longest lifetime a token may ask for (default: ${DEFAULT-VALUE}).")
    String maxLifetime;

    @Option(names = "--allow-non-expiring", description = "Allow 'ttl: never'.")
    boolean allowNonExpiring;

    @Option(names = "--default-grace-period", defaultValue = "10m",
            description = "How long a rotated-out value stays valid, unless the token sets one (default: ${DEFAULT-VALUE}).")
    String defaultGracePeriod;

    @Option(names = "--record-retention", defaultValue = "30d",
            description = "How long revoked and superseded TokenRecords are kept for audits (default: ${DEFAULT-VALUE}).")
    String recordRetention;

    @Option(names = "--rotation-spread", defaultValue = "0.2", paramLabel = "SHARE",
            description = "Share of each token's renewal window (renewBefore) over which scheduled rotations are spread,"
                    + " by a fraction fixed by the token's uid, so tokens issued together do not rotate together;"
                    + " 0 to 0.5, 0 for none (default: ${DEFAULT-VALUE}).")
    double rotationSpread;

    public OperatorSettings settings() {
        return new OperatorSettings(tokenPrefix, Durations.parse(defaultLifetime), Durations.parse(maxLifetime),
                allowNonExpiring, Durations.parse(defaultGracePeriod), Durations.parse(recordRetention))
                .withRotationSpread(rotationSpread);
    }
}
