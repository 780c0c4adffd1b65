package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.Verification;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/auth}, any method: forward-auth for ingress-nginx {@code auth-url}, Traefik ForwardAuth and Envoy
 * ext_authz. Bearer token in, optional repeatable {@code ?scope=}; RFC 6750 errors out.
 */
final class ForwardAuthEndpoint {
    static final String NAME = "auth";
    private final Decisions decisions;
    private final RequiredScopes requiredScopes = new RequiredScopes();

    ForwardAuthEndpoint(Decisions decisions) {
        this.decisions = decisions;
    }

    void handle(RoutingContext ctx) {
        List<Scope> required = new ArrayList<>();
        for (String s : ctx.queryParam("scope")) {
            List<Scope> parsed = requiredScopes.parse(s);
            if (parsed == null) {
                // not echoed: it is request input (fuzzing put a token there), and the ingress config shows it
                decisions.reject(ctx, NAME, 400, "a scope parameter is not '*', 'action' or 'action:resource'"
                        + " (space-separated, lowercase words [a-z0-9-])");
                return;
            }
            required.addAll(parsed);
        }
        String authorization = ctx.request().getHeader("Authorization");
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
            ctx.response().putHeader("X-Auth-Request-User", t.owner())
                    .putHeader("X-Auth-Request-Scopes", t.scopes().toSpaceSeparated())
                    .putHeader("X-Auth-Token-Id", t.tokenId()).end();
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
