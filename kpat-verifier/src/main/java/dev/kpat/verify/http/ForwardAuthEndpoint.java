package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.Verification;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward-auth, any method: {@code /v1/auth} for ingress-nginx {@code auth-url} and Traefik ForwardAuth, and any path
 * under {@code /v1/auth/} for Envoy's HTTP ext_authz, which appends the original request's path and query to its
 * {@code path_prefix}. Bearer token in; the scopes a route requires from repeatable {@code ?scope=} (on
 * {@code /v1/auth} only: under {@code /v1/auth/} the query is the original request's) and from {@code X-Kpat-Scope}
 * headers (what ext_authz can add per filter). Every required scope must be held, so a caller that adds one only
 * asks for more. RFC 6750 errors out.
 */
final class ForwardAuthEndpoint {
    static final String NAME = "auth";
    /** Header names as Vert.x's optimized form (encoded once): every allowed request sends them. */
    private static final CharSequence USER = HttpHeaders.createOptimized("X-Auth-Request-User");
    private static final CharSequence SCOPES = HttpHeaders.createOptimized("X-Auth-Request-Scopes");
    private static final CharSequence TOKEN_ID = HttpHeaders.createOptimized("X-Auth-Token-Id");
    static final String PATH = "/v1/auth";
    static final String SCOPE_HEADER = "X-Kpat-Scope";
    private static final String BAD_SCOPE = " is not '*', 'action' or 'action:resource'"
            + " (space-separated, lowercase words [a-z0-9-])";
    private final Decisions decisions;
    private final RequiredScopes requiredScopes = new RequiredScopes();

    ForwardAuthEndpoint(Decisions decisions) {
        this.decisions = decisions;
    }

    void handle(RoutingContext ctx) {
        List<Scope> required = PATH.equals(ctx.normalizedPath()) ? requiredScopes.of(ctx) : List.of();
        // not echoed: it is request input (fuzzing put a token there), and the proxy's config shows it
        if (required == null) {
            decisions.reject(ctx, NAME, 400, "a scope parameter" + BAD_SCOPE);
            return;
        }
        List<String> fromHeaders = ctx.request().headers().getAll(SCOPE_HEADER);
        if (!fromHeaders.isEmpty()) {
            required = new ArrayList<>(required);
            if (!addScopes(fromHeaders, required)) {
                decisions.reject(ctx, NAME, 400, "an " + SCOPE_HEADER + " header" + BAD_SCOPE);
                return;
            }
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.length() == 7) {
            decisions.refused(ctx, NAME);
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"kpat\"")
                    .putHeader("Content-Type", "application/json").end("{\"error\":\"missing bearer token\"}");
            return;
        }
        Verification v = decisions.decide(ctx, NAME, authorization.substring(7).trim(), required, true);
        if (v == null) {
            return;
        }
        if (v.active()) {
            IndexedToken t = v.token();
            ctx.response().putHeader(USER, t.owner()).putHeader(SCOPES, t.scopes().toSpaceSeparated())
                    .putHeader(TOKEN_ID, t.tokenId()).end();
        } else if (v.outcome() == Outcome.INSUFFICIENT_SCOPE) {
            StringBuilder scope = new StringBuilder();
            required.forEach(s -> scope.append(scope.length() == 0 ? "" : " ").append(s));
            ctx.response().setStatusCode(403).putHeader("WWW-Authenticate",
                    "Bearer realm=\"kpat\", error=\"insufficient_scope\", scope=\"" + scope + "\"").end();
        } else {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate",
                    "Bearer realm=\"kpat\", error=\"invalid_token\", error_description=\"token "
                            + v.outcome().reason() + "\"").end();
        }
    }

    private boolean addScopes(List<String> values, List<Scope> required) {
        for (String value : values) {
            List<Scope> parsed = requiredScopes.parse(value);
            if (parsed == null) {
                return false;
            }
            required.addAll(parsed);
        }
        return true;
    }

    /**
     * Sends a request whose path starts with {@code /v1/auth/} but leaves it once dot segments are resolved (ext_authz
     * appends a client's path as it came, {@code /v1/auth/../../healthz}) away with 400, a denial: routed by its
     * resolved path it would reach a route that answers 200 without a token.
     */
    static void keepEscapesOut(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw != null && raw.startsWith(PATH + "/") && !ctx.normalizedPath().startsWith(PATH + "/")) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"the path leaves " + PATH + "/\"}");
            return;
        }
        ctx.next();
    }
}
