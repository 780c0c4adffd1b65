package dev.kpat.verify.http;

import dev.kpat.verify.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Decision counters by endpoint and outcome, registered up front so the request path only increments. */
public final class VerifierMetrics {
    private final Map<String, EnumMap<Outcome, Counter>> decisions = new HashMap<>();
    private final Map<String, Counter> rejected = new HashMap<>();
    private final Map<String, Counter> throttled = new HashMap<>();

    public VerifierMetrics(MeterRegistry registry, String... endpoints) {
        for (String endpoint : endpoints) {
            EnumMap<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                byOutcome.put(o, Counter.builder("kpat_verifier_decisions").description("Token decisions")
                        .tag("endpoint", endpoint).tag("outcome", o.reason()).register(registry));
            }
            decisions.put(endpoint, byOutcome);
            rejected.put(endpoint, Counter.builder("kpat_verifier_rejected_requests")
                    .description("Requests refused before a decision (bad input, unauthenticated caller)")
                    .tag("endpoint", endpoint).register(registry));
            throttled.put(endpoint, Counter.builder("kpat_verifier_failures_over_limit")
                    .description("Failed decisions over the per-value or per-client failure limit")
                    .tag("endpoint", endpoint).register(registry));
        }
    }

    public void decided(String endpoint, Outcome outcome) {
        decisions.get(endpoint).get(outcome).increment();
    }

    public void rejected(String endpoint) {
        rejected.get(endpoint).increment();
    }

    public void throttled(String endpoint) {
        throttled.get(endpoint).increment();
    }
}
