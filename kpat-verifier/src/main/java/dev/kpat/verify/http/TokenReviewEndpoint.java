package dev.kpat.verify.http;

import dev.kpat.api.OwnerName;
import dev.kpat.api.UserExtra;
import dev.kpat.verify.IndexedToken;
import dev.kpat.verify.Verification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code POST /v1/tokenreviews}: Kubernetes webhook token authentication, answered in the apiVersion it was asked in. */
final class TokenReviewEndpoint {
    static final String NAME = "tokenreview";
    private static final List<String> VERSIONS = List.of("authentication.k8s.io/v1", "authentication.k8s.io/v1beta1");
    private final Decisions decisions;

    TokenReviewEndpoint(Decisions decisions) {
        this.decisions = decisions;
    }

    void handle(RoutingContext ctx) {
        if (!"application/json".equals(Responses.mediaType(ctx))) {
            decisions.reject(ctx, NAME, 415, "use application/json");
            return;
        }
        JsonObject review = Responses.jsonBody(ctx, decisions, NAME);
        if (review == null) {
            return;
        }
        Object apiVersion = review.getValue("apiVersion");
        // List.contains(null) throws: an explicit "apiVersion": null is bad input, not a server error
        if (!(apiVersion instanceof String version && VERSIONS.contains(version))
                || !"TokenReview".equals(review.getValue("kind"))) {
            decisions.reject(ctx, NAME, 400, "expected a TokenReview of authentication.k8s.io/v1 or v1beta1");
            return;
        }
        Object specValue = review.getValue("spec");
        Object tokenValue = specValue instanceof JsonObject spec ? spec.getValue("token") : null;
        if (!(tokenValue instanceof String token) || token.isEmpty()) {
            decisions.reject(ctx, NAME, 400, "missing spec.token");
            return;
        }
        // never 429: the API server retries a 429 with Retry-After, multiplying the junk it relays
        Verification v = decisions.decide(ctx, NAME, token, List.of(), false);
        if (v == null) {
            return;
        }
        JsonObject status = new JsonObject();
        if (v.active()) {
            IndexedToken t = v.token();
            status.put("authenticated", true).put("user", new JsonObject()
                    .put("username", t.owner()).put("uid", t.tokenId()).put("groups", groups(t.owner()))
                    .put("extra", extra(t)));
        } else {
            status.put("authenticated", false).put("error", "token " + v.outcome().reason());
        }
        Responses.json(ctx, 200, new JsonObject().put("apiVersion", apiVersion).put("kind", "TokenReview")
                .put("status", status));
    }

    /** What admission and authorizers learn about the token (see {@link UserExtra}). */
    private static JsonObject extra(IndexedToken t) {
        JsonArray scopes = new JsonArray();
        t.scopes().scopes().forEach(s -> scopes.add(s.toString()));
        JsonObject extra = new JsonObject().put(UserExtra.TOKEN_ID, new JsonArray().add(t.tokenId()))
                .put(UserExtra.SCOPES, scopes);
        if (t.endsAtMillis() != IndexedToken.NEVER) {
            // rounded down: a bound that admission compares against must not be later than the real one
            String endsAt = Instant.ofEpochMilli(t.endsAtMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
            extra.put(UserExtra.EXPIRES_AT, new JsonArray().add(endsAt));
        }
        return extra;
    }

    /** kpat's group, plus the Kubernetes groups of a ServiceAccount owner so RBAC bound to them applies too. */
    private static JsonArray groups(String owner) {
        JsonArray groups = new JsonArray().add("kpat:authenticated");
        OwnerName.impliedGroups(owner).forEach(groups::add);
        return groups;
    }
}
