package dev.kpat.metrics;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.lifecycle.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Per-token gauges in the style of cert-manager's certificate metrics, so alerts can fire before a token expires:
 * {@code kpat_token_expiration_timestamp_seconds}, {@code kpat_token_renewal_timestamp_seconds} and
 * {@code kpat_token_ready_status{condition="True|False"}}, labelled by namespace, name and owner, computed at scrape
 * time from the tokens the operator caches ({@link TokenGaugeCollector}, on a Prometheus registry); plus counters of
 * issued and revoked values, and {@code kpat_tokens{phase}} (tokens by phase, for dashboards). Labels never carry a
 * token value, hint or hash.
 */
public class TokenMetrics {
    private static final String READY = "Ready";
    private final MeterRegistry registry;
    private volatile Supplier<Stream<PersonalAccessToken>> tokens = Stream::empty;

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Phase phase : Phase.values()) {
            Gauge.builder("kpat_tokens", this, m -> m.tokens.get().filter(p -> p.getStatus() != null
                            && p.getStatus().getPhase() == phase).count())
                    .description("PersonalAccessTokens by phase").tag("phase", phase.name()).register(registry);
        }
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(new TokenGaugeCollector(() -> tokens.get()));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Where the gauges read the tokens from at scrape time: the token controller's cache. */
    public void tokensFrom(Supplier<Stream<PersonalAccessToken>> tokens) {
        this.tokens = tokens;
    }

    public void issued(Reason reason) {
        Counter.builder("kpat_token_values_issued").description("Token values issued, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }

    public void revoked(Reason reason) {
        Counter.builder("kpat_token_values_revoked").description("Token values revoked, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }

    static boolean ready(PersonalAccessTokenStatus status) {
        return status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> READY.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
