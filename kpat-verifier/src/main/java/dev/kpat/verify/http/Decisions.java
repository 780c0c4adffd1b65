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
 * The step every endpoint shares: decide, count usage and metrics, write the audit line, then count a failure
 * against the value and the caller. The token is decided first, so a valid token is never throttled. Also answers
 * requests refused before a decision, so each refusal is counted the same way.
 */
final class Decisions {
    private final TokenVerifier verifier;
    private final UsageTracker usage;
    private final AuditLog audit;
    private final ClientAddress addresses;
    private final FailureLimits limits;
    private final TokenFingerprints fingerprints = new TokenFingerprints();
    private final VerifierMetrics metrics;
    private final RevokedTokenUse reuse;
    private final Clock clock;

    Decisions(TokenVerifier verifier, UsageTracker usage, AuditLog audit, ClientAddress addresses,
              FailureLimits limits, VerifierMetrics metrics, RevokedTokenUse reuse, Clock clock) {
        this.reuse = reuse;
        this.verifier = verifier;
        this.usage = usage;
        this.audit = audit;
        this.addresses = addresses;
        this.limits = limits;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The caller an authentication step put on the request; otherwise an open caller known by its address. */
    Caller caller(RoutingContext ctx) {
        Caller c = ctx.get(Caller.CONTEXT_KEY);
        return c != null ? c : Caller.open(addresses.of(ctx.request()));
    }

    String address(RoutingContext ctx) {
        return addresses.of(ctx.request());
    }

    FailureLimits limits() {
        return limits;
    }

    /**
     * The decision, or null when a failed decision put the value or the caller over its limit and {@code mayThrottle}
     * (then already answered 429). Endpoints whose callers retry a 429 (the API server) pass false.
     */
    Verification decide(RoutingContext ctx, String endpoint, String token, List<Scope> required, boolean mayThrottle) {
        Caller caller = caller(ctx);
        Verification v = verifier.verify(token, required);
        if (v.outcome().authenticated()) {
            usage.record(v.token().tokenId(), caller.address(), clock.millis());
        }
        if (v.revokedTokenUsed()) {
            reuse.report(v.token(), caller.address(), endpoint);
        }
        metrics.decided(endpoint, v.outcome());
        audit.record(clock.instant(), v, required, caller.address(), endpoint);
        if (!v.outcome().authenticated() && limits.failed(fingerprints.of(token), caller.limitKey())) {
            metrics.throttled(endpoint);
            if (mayThrottle) {
                tooMany(ctx);
                return null;
            }
        }
        return v;
    }

    /** Refuses a request before any decision (bad input): a short JSON error, counted as a failed attempt. */
    void reject(RoutingContext ctx, String endpoint, int status, String reason) {
        refused(ctx, endpoint);
        Responses.error(ctx, status, reason);
    }

    /** Counts a refusal whose response the caller writes itself; true when the caller is now over its limit. */
    boolean refused(RoutingContext ctx, String endpoint) {
        metrics.rejected(endpoint);
        return limits.failed(caller(ctx).limitKey());
    }

    static void tooMany(RoutingContext ctx) {
        ctx.response().setStatusCode(429).putHeader("Retry-After", "60")
                .putHeader("Content-Type", "application/json").end("{\"error\":\"too many failed attempts\"}");
    }
}
