package dev.kpat.verify.http;

import dev.kpat.api.UserExtra;
import dev.kpat.authz.AccessRequest;
import dev.kpat.authz.ScopeAuthorizer;
import dev.kpat.token.ScopeSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/subjectaccessreviews}: the Kubernetes authorization webhook, placed before RBAC. A request made
 * with a PAT (its user carries the {@link UserExtra} keys the TokenReview answer sets) that the token's scopes do
 * not cover is denied, naming the missing scope; everything else gets no opinion, so RBAC decides. The token's
 * access is thereby its owner's RBAC intersected with its scopes, and no other user is affected.
 */
final class SubjectAccessReviewEndpoint {
    static final String NAME = "subjectaccessreview";
    private static final List<String> VERSIONS = List.of("authorization.k8s.io/v1", "authorization.k8s.io/v1beta1");
    private final Decisions decisions;
    private final Counter denied;
    private final Counter noOpinionForPat;
    private final Counter noOpinionForOthers;

    SubjectAccessReviewEndpoint(Decisions decisions, MeterRegistry registry) {
        this.decisions = decisions;
        this.denied = answers(registry, "denied");
        this.noOpinionForPat = answers(registry, "no-opinion-pat");
        this.noOpinionForOthers = answers(registry, "no-opinion-other");
    }

    private static Counter answers(MeterRegistry registry, String answer) {
        return Counter.builder("kpat_verifier_subjectaccessreviews")
                .description("Authorization webhook answers: denied by token scopes, or left to RBAC")
                .tag("answer", answer).register(registry);
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
                || !"SubjectAccessReview".equals(review.getValue("kind"))
                || !(review.getValue("spec") instanceof JsonObject spec)) {
            decisions.reject(ctx, NAME, 400, "expected a SubjectAccessReview of authorization.k8s.io/v1 or v1beta1");
            return;
        }
        JsonObject status = new JsonObject().put("allowed", false);
        List<String> scopes = patScopes(spec.getValue("extra"));
        if (scopes == null) {
            noOpinionForOthers.increment();
        } else {
            String denial = ScopeAuthorizer.denial(ScopeSet.of(scopes), accessRequest(spec));
            if (denial == null) {
                noOpinionForPat.increment();
            } else {
                denied.increment();
                status.put("denied", true).put("reason", denial);
            }
        }
        Responses.json(ctx, 200, new JsonObject().put("apiVersion", apiVersion).put("kind", "SubjectAccessReview")
                .put("status", status));
    }

    /**
     * The token's scopes when the user was authenticated by a PAT (either kpat key present), else null. A PAT user
     * without readable scopes gets an empty list: it is denied everything rather than left to RBAC.
     */
    private static List<String> patScopes(Object extraValue) {
        if (!(extraValue instanceof JsonObject extra)
                || !(extra.containsKey(UserExtra.TOKEN_ID)
                || extra.containsKey(UserExtra.SCOPES))) {
            return null;
        }
        List<String> scopes = new ArrayList<>();
        if (extra.getValue(UserExtra.SCOPES) instanceof JsonArray values) {
            for (Object v : values) {
                if (v instanceof String s) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }

    /** Resource attributes when present, else the non-resource URL; a review with neither matches no scope. */
    private static AccessRequest accessRequest(JsonObject spec) {
        if (spec.getValue("resourceAttributes") instanceof JsonObject r) {
            return AccessRequest.resource(text(r, "verb"), text(r, "group"), text(r, "resource"),
                    text(r, "subresource"));
        }
        if (spec.getValue("nonResourceAttributes") instanceof JsonObject n) {
            return AccessRequest.nonResource(text(n, "verb"), text(n, "path"));
        }
        return AccessRequest.nonResource("", "");
    }

    private static String text(JsonObject o, String key) {
        return o.getValue(key) instanceof String s ? s : "";
    }
}
