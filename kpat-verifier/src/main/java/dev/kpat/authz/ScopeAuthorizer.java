package dev.kpat.authz;

import dev.kpat.token.Scope;
import dev.kpat.token.ScopeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Kubernetes requests a token's scopes allow; the authorization webhook denies the rest and leaves the allowed
 * ones to RBAC, so a PAT gets its owner's RBAC intersected with its scopes.
 * <ul>
 * <li>{@code read}: get, list, watch. {@code write}: create, update, patch, delete, deletecollection. Neither implies
 * the other ({@link Scope#grants} matches the action exactly), so editing with kubectl (get, then patch) needs both.
 * <li>{@code admin}: every verb, including escalate, bind, impersonate, approve and any custom verb; these other
 * verbs need {@code admin}.
 * <li>{@code action:resource}: that action on one resource, written {@code resource[.group][/subresource]} as RBAC
 * and kubectl write them: {@code pods}, {@code deployments.apps}, {@code pods/log}. No group means the core group.
 * A subresource must be named: {@code read:pods} does not cover {@code pods/log} and {@code write:pods} does not
 * cover {@code pods/exec}, since subresources reach further than the object (logs, a shell, a proxy). A bare action
 * covers every resource and subresource.
 * <li>{@code *}: everything.
 * <li>Non-resource URLs: {@code read} for get and head, {@code write} for other verbs ({@code admin} or {@code *}
 * too); a resource-qualified scope never covers a URL.
 * <li>Always allowed, whatever the scopes: creating SelfSubjectReviews, SelfSubjectAccessReviews and
 * SelfSubjectRulesReviews ({@code kubectl auth whoami} and {@code can-i} reveal only the caller's own permissions),
 * and reading the discovery and health URLs Kubernetes opens to every authenticated user (roles system:discovery and
 * system:public-info-viewer): they hold no object data and kubectl cannot work without them.
 * </ul>
 */
public final class ScopeAuthorizer {
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final Set<String> READ_URL_VERBS = Set.of("get", "head");
    private static final Set<String> SELF_REVIEWS = Set.of("selfsubjectreviews.authentication.k8s.io",
            "selfsubjectaccessreviews.authorization.k8s.io", "selfsubjectrulesreviews.authorization.k8s.io");
    private static final Set<String> OPEN_URLS = Set.of("/api", "/apis", "/openapi", "/version", "/version/",
            "/healthz", "/livez", "/readyz");
    private static final List<String> OPEN_URL_PREFIXES = List.of("/api/", "/apis/", "/openapi/");
    private static final String READ = "read";
    private static final String WRITE = "write";
    private static final String ADMIN = "admin";
    /** The characters of scopes, resources, verbs and URL paths as Kubernetes names them (never a token's '_'). */
    private static final Pattern ECHOABLE = Pattern.compile("[a-z0-9*./:-]{1,512}");

    private ScopeAuthorizer() {
    }

    /** Null when {@code scopes} allow {@code request}; otherwise why not, naming the scopes that would. */
    public static String denial(ScopeSet scopes, AccessRequest request) {
        List<Scope> needed = request.isResourceRequest() ? forResource(request) : forUrl(request);
        if (needed.isEmpty()) {
            return null;
        }
        for (Scope s : needed) {
            if (scopes.grants(s)) {
                return null;
            }
        }
        // the narrowest scopes that would do: admin is left out when read or write suffices
        List<String> names = new ArrayList<>();
        String action = needed.get(0).action();
        for (Scope s : needed) {
            if (s.action().equals(action) && ECHOABLE.matcher(s.toString()).matches()) {
                names.add(s.toString());
            }
        }
        return "token scopes [" + String.join(", ", scopes.scopes().stream().map(Scope::toString).toList())
                + "] do not allow " + echo(request.verb()) + " on " + echo(target(request)) + " (needs "
                + String.join(" or ", names) + ")";
    }

    /**
     * Request text repeated in a denial only when it could be part of a scope: anything else (a token pasted into a
     * URL, found by fuzzing) is not, since the reason reaches the API server's answers and logs.
     */
    private static String echo(String text) {
        return ECHOABLE.matcher(text).matches() ? text : "(not shown: not a scope word)";
    }

    /** The scopes each of which allows a resource request, the narrowest action first; empty: always allowed. */
    private static List<Scope> forResource(AccessRequest r) {
        String resource = scopeResource(r);
        if ("create".equals(r.verb()) && r.subresource().isEmpty() && SELF_REVIEWS.contains(resource)) {
            return List.of();
        }
        // a wildcard in the request (kubectl auth can-i '*' ...) is granted only by a bare action
        boolean named = !r.resource().isEmpty() && !r.resource().equals("*") && !r.group().equals("*")
                && !r.subresource().equals("*");
        List<Scope> needed = new ArrayList<>(4);
        String action = READ_VERBS.contains(r.verb()) ? READ : WRITE_VERBS.contains(r.verb()) ? WRITE : null;
        for (String a : action == null ? List.of(ADMIN) : List.of(action, ADMIN)) {
            needed.add(new Scope(a, null));
            if (named) {
                needed.add(new Scope(a, resource));
            }
        }
        return needed;
    }

    private static List<Scope> forUrl(AccessRequest r) {
        boolean reading = READ_URL_VERBS.contains(r.verb());
        if (reading && isOpenUrl(r.path())) {
            return List.of();
        }
        return List.of(new Scope(reading ? READ : WRITE, null), new Scope(ADMIN, null));
    }

    private static boolean isOpenUrl(String path) {
        if (path.contains("/.") || path.contains("//")) {
            return false; // no dot segments or empty segments that could lead out of an open prefix
        }
        if (OPEN_URLS.contains(path)) {
            return true;
        }
        for (String prefix : OPEN_URL_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code resource[.group][/subresource]}, as a scope names it. */
    static String scopeResource(AccessRequest r) {
        StringBuilder sb = new StringBuilder(r.resource());
        if (!r.group().isEmpty()) {
            sb.append('.').append(r.group());
        }
        if (!r.subresource().isEmpty()) {
            sb.append('/').append(r.subresource());
        }
        return sb.toString();
    }

    private static String target(AccessRequest r) {
        return r.isResourceRequest() ? scopeResource(r) : r.path();
    }
}
