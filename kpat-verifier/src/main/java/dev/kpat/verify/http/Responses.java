package dev.kpat.verify.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Small response and request helpers shared by the endpoints. */
final class Responses {
    private Responses() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String reason) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            json(ctx, status, new JsonObject().put("error", reason));
        }
    }

    /** The media type of the request without parameters, lower case; null when absent. */
    static String mediaType(RoutingContext ctx) {
        String ct = ctx.request().getHeader("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as a JSON object, or null after answering 400 when it is not one. */
    static JsonObject jsonBody(RoutingContext ctx, Decisions decisions, String endpoint) {
        try {
            JsonObject json = ctx.body().asJsonObject();
            if (json == null) {
                decisions.reject(ctx, endpoint, 400, "empty body");
            }
            return json;
        } catch (DecodeException | ClassCastException e) {
            decisions.reject(ctx, endpoint, 400, "body is not a JSON object");
            return null;
        }
    }
}
