package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.logging.TokenMdc;
import dev.kpat.metrics.TokenMetrics;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The best-effort side effects of a decision, after its writes: metrics, workload restarts and Events. Each is tried
 * on its own and a failure is logged, never thrown: the writes are done, and a reconcile failed here would be retried
 * for nothing (or, before this order, left a leaked value valid).
 */
final class TokenEffects {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEffects.class);

    private final TokenEventRecorder events;
    private final WorkloadRestarter restarter;
    private final TokenMetrics metrics;
    private final Announcements announcements;
    private final Clock clock;

    TokenEffects(TokenEventRecorder events, WorkloadRestarter restarter, TokenMetrics metrics,
                 Announcements announcements, Clock clock) {
        this.events = events;
        this.restarter = restarter;
        this.metrics = metrics;
        this.announcements = announcements;
        this.clock = clock;
    }

    /** What follows the writes of {@code decision} for {@code pat}, whose status is already the new one. */
    void after(PersonalAccessToken pat, TokenDecision decision, Applied applied) {
        // the lines logged here name the token and its current value's id (--log-format=json fields)
        try (TokenMdc mdc = TokenMdc.of(pat.getMetadata().getNamespace(), pat.getMetadata().getName(),
                pat.getStatus() == null ? null : pat.getStatus().getTokenId())) {
            effects(pat, decision, applied);
        }
    }

    private void effects(PersonalAccessToken pat, TokenDecision decision, Applied applied) {
        bestEffort(pat, "metrics", () -> applied.revoked().forEach(metrics::revoked));
        if (decision instanceof Live live && applied.current() != null) {
            String id = applied.current().getMetadata().getName();
            if (live.announce()) {
                announce(pat, live.issueReason(), id, applied.hint());
            }
            if (live.announceExpiry()) {
                bestEffort(pat, "Event", () -> events.expired(pat, id, live.expiresAt()));
            }
        } else if (decision instanceof TokenDecision.Revoke revoke && revoke.announce()) {
            bestEffort(pat, "Event", () -> events.revoked(pat));
        } else if (decision instanceof NotReady notReady && notReady.announce()) {
            bestEffort(pat, "Event", () -> events.notReady(pat, notReady.reason(), notReady.message()));
        }
    }

    /** A deleted token: what this process remembers of it goes (its gauges go with it from the cache). */
    void forget(PersonalAccessToken pat, List<Reason> revoked) {
        bestEffort(pat, "metrics", () -> revoked.forEach(metrics::revoked));
        announcements.forget(pat);
    }

    /** A new value's metric, workload restarts (for every value but the first) and Event. */
    private void announce(PersonalAccessToken pat, IssueReason reason, String tokenId, String hint) {
        announcements.announced(pat, tokenId);
        bestEffort(pat, "metrics", () -> metrics.issued(Reason.of(reason)));
        if (reason != IssueReason.Issued) {
            bestEffort(pat, "workload restarts", () -> {
                List<String> restarted = restarter.restartFor(pat.getMetadata().getNamespace(), pat.secretName(),
                        clock.instant());
                if (!restarted.isEmpty()) {
                    events.workloadsRestarted(pat, restarted);
                }
            });
        }
        bestEffort(pat, "Event", () -> events.issued(pat, reason, tokenId, hint));
    }

    private static void bestEffort(PersonalAccessToken pat, String what, Runnable effect) {
        try {
            effect.run();
        } catch (RuntimeException e) {
            // the class only: an API error's text may quote a request
            LOG.warn("{} for {}/{} failed ({}); the token's writes are done", what,
                    pat.getMetadata().getNamespace(), pat.getMetadata().getName(), e.getClass().getSimpleName());
        }
    }
}
