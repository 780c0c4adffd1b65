package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.Verification;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /v1/auth}, any method: forward-auth for ingress-nginx {@code auth-url}, Traefik ForwardAuth and Envoy
 * ext_authz. Bearer token in, optional repeatable {@code ?scope=}; RFC 6750 errors out.
 */
final class ForwardAuthEndpoint {
    static final String NAME = "auth";
    /** Header names as Vert.x's optimized form (encoded once): every allowed request sends them. */
    private static final CharSequence USER = HttpHeaders.createOptimized("X-Auth-Request-User");
    private static final CharSequence SCOPES = HttpHeaders.createOptimized("X-Auth-Request-Scopes");
    private static final CharSequence TOKEN_ID = HttpHeaders.createOptimized("X-Auth-Token-Id");
    private final Decisions decisions;
    private final RequiredScopes requiredScopes = new RequiredScopes();

    ForwardAuthEndpoint(Decisions decisions) {
        this.decisions = decisions;
    }

    void handle(RoutingContext ctx) {
        List<Scope> required = requiredScopes.of(ctx);
        if (required == null) {
            // not echoed: it is request input (fuzzing put a token there), and the ingress config shows it
            decisions.reject(ctx, NAME, 400, "a scope parameter is not '*', 'action' or 'action:resource'"
                    + " (space-separated, lowercase words [a-z0-9-])");
            return;
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
}
