package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.Verification;
import dev.kpat.verify.reuse.RevokedTokenUse;
import dev.kpat.verify.usage.UsageTracker;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The step every endpoint shares: rate limit the client, decide, count usage and metrics, write the audit line.
 * Also answers requests refused before a decision, so each refusal is counted and rate-limited the same way.
 */
final class Decisions {
    private final TokenVerifier verifier;
    private final UsageTracker usage;
    private final AuditLog audit;
    private final ClientAddress addresses;
    /** Null: no failure limit. */
    private final FailureRateLimiter limiter;
    private final VerifierMetrics metrics;
    private final RevokedTokenUse reuse;
    private final Clock clock;

    Decisions(TokenVerifier verifier, UsageTracker usage, AuditLog audit, ClientAddress addresses,
              FailureRateLimiter limiter, VerifierMetrics metrics, RevokedTokenUse reuse, Clock clock) {
        this.reuse = reuse;
        this.verifier = verifier;
        this.usage = usage;
        this.audit = audit;
        this.addresses = addresses;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The same decisions without the per-client failure limit, for a caller that speaks for many clients: the
     * kube-apiserver sends everyone's tokens to the TokenReview webhook, so limiting its address would let one
     * client's bad tokens stall and then lock out every PAT user (it retries a 429 with backoff, then answers 401).
     * It throttles its own clients and caches answers.
     */
    Decisions withoutFailureLimit() {
        return new Decisions(verifier, usage, audit, addresses, null, metrics, reuse, clock);
    }

    /** The decision, or null when the client is over its failure limit (then already answered 429). */
    Verification decide(RoutingContext ctx, String endpoint, String token, List<Scope> required) {
        String client = addresses.of(ctx.request());
        if (limiter != null && !limiter.allows(client)) {
            metrics.rejected(endpoint);
            ctx.response().setStatusCode(429).putHeader("Retry-After", "60")
                    .putHeader("Content-Type", "application/json").end("{\"error\":\"too many failed attempts\"}");
            return null;
        }
        Verification v = verifier.verify(token, required);
        if (v.outcome().authenticated()) {
            usage.record(v.token().tokenId(), client, clock.millis());
        }
        if (!v.active() && limiter != null) {
            limiter.failed(client);
        }
        if (v.revokedTokenUsed()) {
            reuse.report(v.token(), client, endpoint);
        }
        metrics.decided(endpoint, v.outcome());
        audit.record(clock.instant(), v, required, client, endpoint);
        return v;
    }

    /** Refuses a request before any decision (bad input): a short JSON error, counted as a failed attempt. */
    void reject(RoutingContext ctx, String endpoint, int status, String reason) {
        refused(ctx, endpoint);
        Responses.error(ctx, status, reason);
    }

    /** Counts a refusal whose response the caller writes itself. */
    void refused(RoutingContext ctx, String endpoint) {
        metrics.rejected(endpoint);
        if (limiter != null) {
            limiter.failed(addresses.of(ctx.request()));
        }
    }
}
