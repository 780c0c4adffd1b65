package dev.kpat.metrics;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.lifecycle.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-token gauges in the style of cert-manager's certificate metrics, so alerts can fire before a token expires:
 * {@code kpat_token_expiration_timestamp_seconds}, {@code kpat_token_renewal_timestamp_seconds} and
 * {@code kpat_token_ready_status{condition="True|False"}}, labelled by namespace, name and owner; plus counters of
 * issued and revoked values, and {@code kpat_tokens{phase}} (tokens by phase, for dashboards). Labels never carry a
 * token value, hint or hash.
 */
public class TokenMetrics {
    private static final String READY = "Ready";
    private final MeterRegistry registry;
    private final Map<String, TokenGauges> tokens = new ConcurrentHashMap<>();

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Phase phase : Phase.values()) {
            Gauge.builder("kpat_tokens", tokens, t -> t.values().stream().filter(g -> g.phase == phase).count())
                    .description("PersonalAccessTokens by phase").tag("phase", phase.name()).register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records the status the operator just computed for a token. */
    public void observe(PersonalAccessToken pat) {
        PersonalAccessTokenStatus status = pat.getStatus();
        if (status == null || pat.getSpec() == null) {
            return;
        }
        TokenGauges g = tokens.computeIfAbsent(key(pat), k -> new TokenGauges(pat));
        g.expiry.set(epochSeconds(status.getExpiresAt()));
        g.renewal.set(epochSeconds(status.getRenewalTime()));
        boolean ready = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> READY.equals(c.getType()) && "True".equals(c.getStatus()));
        g.ready.set(ready ? 1 : 0);
        g.phase = status.getPhase();
    }

    /** Drops a deleted token's gauges. */
    public void forget(PersonalAccessToken pat) {
        TokenGauges g = tokens.remove(key(pat));
        if (g != null) {
            g.meters.forEach(registry::remove);
        }
    }

    public void issued(Reason reason) {
        Counter.builder("kpat_token_values_issued").description("Token values issued, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }

    public void revoked(Reason reason) {
        Counter.builder("kpat_token_values_revoked").description("Token values revoked, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }

    private static String key(PersonalAccessToken pat) {
        return pat.getMetadata().getNamespace() + "/" + pat.getMetadata().getName();
    }

    private static long epochSeconds(String time) {
        return time == null ? 0 : Instant.parse(time).getEpochSecond();
    }

    /** The gauges of one token; 0 means "none" (a non-expiring token, no scheduled rotation). */
    private final class TokenGauges {
        final AtomicLong expiry = new AtomicLong();
        final AtomicLong renewal = new AtomicLong();
        final AtomicLong ready = new AtomicLong();
        volatile Phase phase;
        final List<Meter> meters = new ArrayList<>();

        TokenGauges(PersonalAccessToken pat) {
            Tags tags = Tags.of("namespace", pat.getMetadata().getNamespace(), "name", pat.getMetadata().getName(),
                    "owner", pat.getSpec().getOwner());
            meters.add(Gauge.builder("kpat_token_expiration_timestamp_seconds", expiry, AtomicLong::get)
                    .description("When the token's current value expires (0: never)").tags(tags).register(registry));
            meters.add(Gauge.builder("kpat_token_renewal_timestamp_seconds", renewal, AtomicLong::get)
                    .description("When scheduled rotation issues the next value (0: none)").tags(tags)
                    .register(registry));
            meters.add(Gauge.builder("kpat_token_ready_status", ready, AtomicLong::get)
                    .description("Whether the token is Ready").tags(tags.and("condition", "True")).register(registry));
            meters.add(Gauge.builder("kpat_token_ready_status", ready, r -> 1 - r.get())
                    .description("Whether the token is Ready").tags(tags.and("condition", "False"))
                    .register(registry));
        }
    }
}
