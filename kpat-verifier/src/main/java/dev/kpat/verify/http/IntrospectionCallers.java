package dev.kpat.verify.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Client authentication for introspection, as RFC 7662 §2.1 requires: HTTP Basic with a registered client's id and
 * secret, or (when configured) a bearer ServiceAccount token on an allow-list. Anything else gets 401 with
 * {@code WWW-Authenticate: Basic realm="kpat"}. Failed attempts count against the address (guessing secrets);
 * an address over its limit gets 429 before a bearer token costs a TokenReview.
 */
public final class IntrospectionCallers {
    private final ClientCredentials clients;
    private final BearerCallers bearer;

    /** @param bearer null when bearer ServiceAccount tokens are not accepted */
    public IntrospectionCallers(ClientCredentials clients, BearerCallers bearer) {
        this.clients = clients;
        this.bearer = bearer;
    }

    public static IntrospectionCallers none() {
        return new IntrospectionCallers(ClientCredentials.NONE, null);
    }

    void handle(RoutingContext ctx, Decisions decisions, String endpoint) {
        String address = decisions.address(ctx);
        ctx.put(Caller.CONTEXT_KEY, Caller.open(address));
        String authorization = ctx.request().getHeader("Authorization");
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (basic != null) {
            String id = clientId(basic);
            if (id != null) {
                admit(ctx, Caller.client(address, id));
            } else {
                unauthenticated(ctx, decisions, endpoint);
            }
            return;
        }
        if (bearer != null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.length() > 7) {
            if (decisions.limits().exhausted(decisions.caller(ctx).limitKey())) {
                decisions.refused(ctx, endpoint);
                Decisions.tooMany(ctx);
                return;
            }
            Context context = Vertx.currentContext();
            bearer.callerFor(authorization.substring(7).trim()).whenComplete((name, error) -> context.runOnContext(
                    v -> {
                        if (name != null && error == null) {
                            admit(ctx, Caller.client(address, name));
                        } else {
                            unauthenticated(ctx, decisions, endpoint);
                        }
                    }));
            return;
        }
        unauthenticated(ctx, decisions, endpoint);
    }

    /** The registered client these credentials prove, as sent or form-decoded; both are always checked. */
    private String clientId(BasicCredentials basic) {
        boolean asSent = clients.matches(basic.id(), basic.secret());
        BasicCredentials decoded = basic.formDecoded();
        boolean asDecoded = decoded != null && clients.matches(decoded.id(), decoded.secret());
        return asSent ? basic.id() : asDecoded ? decoded.id() : null;
    }

    private static void admit(RoutingContext ctx, Caller caller) {
        ctx.put(Caller.CONTEXT_KEY, caller);
        ctx.next();
    }

    private void unauthenticated(RoutingContext ctx, Decisions decisions, String endpoint) {
        if (decisions.refused(ctx, endpoint)) {
            Decisions.tooMany(ctx);
            return;
        }
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"kpat\"");
        if (bearer != null) {
            ctx.response().headers().add("WWW-Authenticate", "Bearer realm=\"kpat\"");
        }
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end("{\"error\":\"invalid_client\"}");
    }
}
