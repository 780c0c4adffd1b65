package dev.kpat.metrics;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The per-token gauges, computed at scrape time from the tokens as the operator's cache holds them (as
 * kube-state-metrics does): no meter per token lives in the heap between scrapes, and a deleted token's series go
 * with it. Tokens without status yet have none.
 */
final class TokenGaugeCollector implements MultiCollector {
    static final String EXPIRATION = "kpat_token_expiration_timestamp_seconds";
    static final String RENEWAL = "kpat_token_renewal_timestamp_seconds";
    static final String READY = "kpat_token_ready_status";

    private final Supplier<Stream<PersonalAccessToken>> tokens;

    TokenGaugeCollector(Supplier<Stream<PersonalAccessToken>> tokens) {
        this.tokens = tokens;
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder expiry = GaugeSnapshot.builder().name(EXPIRATION)
                .help("When the token's current value expires (0: never)");
        GaugeSnapshot.Builder renewal = GaugeSnapshot.builder().name(RENEWAL)
                .help("When scheduled rotation issues the next value (0: none)");
        GaugeSnapshot.Builder ready = GaugeSnapshot.builder().name(READY).help("Whether the token is Ready");
        tokens.get().filter(p -> p.getStatus() != null && p.getSpec() != null).forEach(pat -> {
            PersonalAccessTokenStatus status = pat.getStatus();
            String owner = pat.getSpec().getOwner();
            Labels labels = Labels.of("namespace", pat.getMetadata().getNamespace(), "name",
                    pat.getMetadata().getName(), "owner", owner == null ? "" : owner);
            expiry.dataPoint(point(labels, epochSeconds(status.getExpiresAt())));
            renewal.dataPoint(point(labels, epochSeconds(status.getRenewalTime())));
            boolean isReady = TokenMetrics.ready(status);
            ready.dataPoint(point(labels.add("condition", "True"), isReady ? 1 : 0));
            ready.dataPoint(point(labels.add("condition", "False"), isReady ? 0 : 1));
        });
        return MetricSnapshots.of(expiry.build(), renewal.build(), ready.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(EXPIRATION, RENEWAL, READY);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static long epochSeconds(String time) {
        if (time == null) {
            return 0;
        }
        try {
            return Instant.parse(time).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
