package dev.kpat.verify.http;

import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Verification;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code POST /v1/introspect}: RFC 7662. Form or JSON in; anything but an active token is exactly {"active":false}. */
final class IntrospectionEndpoint {
    static final String NAME = "introspect";
    private final Decisions decisions;

    IntrospectionEndpoint(Decisions decisions) {
        this.decisions = decisions;
    }

    void handle(RoutingContext ctx) {
        String contentType = Responses.mediaType(ctx);
        String token;
        if ("application/x-www-form-urlencoded".equals(contentType)) {
            token = ctx.request().getFormAttribute("token");
        } else if ("application/json".equals(contentType)) {
            JsonObject json = Responses.jsonBody(ctx, decisions, NAME);
            if (json == null) {
                return;
            }
            token = json.getValue("token") instanceof String s ? s : null;
        } else {
            decisions.reject(ctx, NAME, 415, "use application/x-www-form-urlencoded or application/json");
            return;
        }
        if (token == null || token.isEmpty()) {
            decisions.reject(ctx, NAME, 400, "missing token");
            return;
        }
        Verification v = decisions.decide(ctx, NAME, token, List.of(), true);
        if (v == null) {
            return;
        }
        JsonObject out = new JsonObject();
        if (!v.active()) {
            out.put("active", false);
        } else {
            IndexedToken t = v.token();
            out.put("active", true).put("sub", t.owner()).put("username", t.owner())
                    .put("scope", t.scopes().toSpaceSeparated());
            if (t.expiresAtSeconds() != null) {
                out.put("exp", t.expiresAtSeconds());
            }
            out.put("iat", t.issuedAtSeconds()).put("jti", t.tokenId()).put("token_type", "personal_access_token")
                    .put("namespace", t.namespace()).put("name", t.name());
        }
        Responses.json(ctx, 200, out);
    }
}
