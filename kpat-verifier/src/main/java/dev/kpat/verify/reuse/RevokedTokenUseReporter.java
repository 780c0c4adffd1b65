package dev.kpat.verify.reuse;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.RevocationReason;
import dev.kpat.api.TokenRecord;
import dev.kpat.logging.TokenMdc;
import dev.kpat.runtime.EventReporter;
import dev.kpat.runtime.TokenEvents;
import dev.kpat.verify.IndexedToken;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code RevokedTokenUsed} signal: a value revoked after a leak (or by revocation) was presented. On the request
 * thread only a counter and a queue offer; one background thread, at most once per interval per token id, marks the
 * TokenRecord ({@code status.reuseDetectedAt}, which the operator watches for {@code revokeOnReuse}) and records a
 * warning Event on the token. Names token ids only, never a value.
 */
public final class RevokedTokenUseReporter implements RevokedTokenUse, AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(RevokedTokenUseReporter.class);
    private static final int QUEUE_CAPACITY = 4096;

    /** A use to report: what the background thread needs, taken on the request thread. */
    private record Signal(String tokenId, String revocationReason, String client, String endpoint, Instant at,
                          long swallowed) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final TokenEvents events;
    private final ReuseSignals signals;
    private final Map<String, Counter> uses;
    private final BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread worker;
    private volatile boolean closed;

    public RevokedTokenUseReporter(KubernetesClient client, Clock clock, MeterRegistry registry, Duration interval) {
        this.client = client;
        this.clock = clock;
        this.events = new TokenEvents(client, clock, EventReporter.verifier());
        this.signals = new ReuseSignals(interval.toMillis());
        this.uses = RevocationReason.LEAK_RESPONSES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                r -> Counter.builder("kpat_verifier_revoked_token_used")
                        .description("Presentations of a value revoked after a leak or by revocation")
                        .tag("reason", r).register(registry)));
        this.worker = new Thread(this::work, "kpat-reuse-signals");
        worker.setDaemon(true);
    }

    public RevokedTokenUseReporter start() {
        worker.start();
        return this;
    }

    /** On the request thread: count, and queue a signal when this token id's interval has none yet. Never blocks. */
    @Override
    public void report(IndexedToken token, String clientAddress, String endpoint) {
        Counter counter = token.revocationReason() == null ? null : uses.get(token.revocationReason());
        if (counter == null) {
            return;
        }
        counter.increment();
        long now = clock.millis();
        long swallowed = signals.use(token.tokenId(), now);
        if (swallowed >= 0 && !queue.offer(new Signal(token.tokenId(), token.revocationReason(), clientAddress,
                endpoint, Instant.ofEpochMilli(now), swallowed))) {
            LOG.warn("RevokedTokenUsed signal for {} dropped: {} signals are waiting", token.tokenId(), QUEUE_CAPACITY);
        }
    }

    private void work() {
        while (!closed) {
            Signal s;
            try {
                s = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            signals.expire(clock.millis());
            if (s != null) {
                send(s);
            }
        }
    }

    /** Marks the record and records the Event; a failure is logged and dropped (the next use signals again). */
    private void send(Signal s) {
        try (TokenMdc mdc = TokenMdc.of(null, null, s.tokenId())) {
            sendSignal(s);
        }
    }

    private void sendSignal(Signal s) {
        try {
            TokenRecord record = client.resources(TokenRecord.class).withName(s.tokenId()).get();
            if (record == null || record.getSpec() == null || record.getSpec().getTokenRef() == null) {
                return; // removed after retention meanwhile
            }
            client.resources(TokenRecord.class).withName(s.tokenId()).subresource("status").patch(
                    PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(
                            Map.of("status", Map.of("reuseDetectedAt", s.at().toString()))));
            var ref = record.getSpec().getTokenRef();
            PersonalAccessToken pat = new PersonalAccessToken();
            pat.setMetadata(new ObjectMetaBuilder().withNamespace(ref.getNamespace()).withName(ref.getName())
                    .withUid(ref.getUid()).build());
            events.warning(pat, SIGNAL, "value " + s.tokenId() + ", revoked by " + s.revocationReason() + " at "
                    + record.getSpec().getRevokedAt() + ", was presented by " + s.client() + " to " + s.endpoint()
                    + (s.swallowed() > 0 ? " (and " + s.swallowed() + " more times since the last Event)" : "")
                    + ": someone holds a value that was revoked");
        } catch (KubernetesClientException e) {
            LOG.warn("RevokedTokenUsed signal for {} not written (HTTP {})", s.tokenId(), e.getCode());
        } catch (RuntimeException e) {
            LOG.warn("RevokedTokenUsed signal for {} not written ({})", s.tokenId(), e.getClass().getSimpleName());
        }
    }

    /** Signals that are queued, for tests. */
    public int pending() {
        return queue.size();
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
