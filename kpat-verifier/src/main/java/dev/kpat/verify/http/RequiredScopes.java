package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses {@code ?scope=} values, remembering the few distinct ones an ingress sends (one per protected route), and
 * the few distinct request URIs that carry them (an ingress calls one URL per route), so the request path neither
 * decodes the query string nor runs the scope grammar on every call. Unknown values beyond the bound are parsed
 * each time, so a client cannot grow the caches.
 */
final class RequiredScopes {
    private static final int MAX_CACHED = 1024;
    /** Longer URIs (not an ingress's configured URL) are decoded each time: the cache stays small. */
    private static final int MAX_CACHED_URI_LENGTH = 256;
    private final ConcurrentHashMap<String, List<Scope>> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<Scope>> byUri = new ConcurrentHashMap<>();

    /**
     * Every scope the request's {@code ?scope=} parameters require, in order, or null when one is not valid. A query
     * string that cannot be decoded fails the request with 400, as Vert.x's own query parsing does.
     */
    List<Scope> of(RoutingContext ctx) {
        String uri = ctx.request().uri();
        List<Scope> known = byUri.get(uri);
        if (known != null) {
            return known;
        }
        List<Scope> required = new ArrayList<>();
        for (String s : ctx.queryParam("scope")) {
            List<Scope> parsed = parse(s);
            if (parsed == null) {
                return null;
            }
            required.addAll(parsed);
        }
        List<Scope> result = List.copyOf(required);
        if (uri.length() <= MAX_CACHED_URI_LENGTH && byUri.size() < MAX_CACHED) {
            byUri.put(uri, result);
        }
        return result;
    }

    /** The scopes in a space-separated value, or null when one of them is not valid. */
    List<Scope> parse(String value) {
        List<Scope> cached = cache.get(value);
        if (cached != null) {
            return cached;
        }
        List<Scope> parsed = new ArrayList<>();
        for (String one : value.split(" ")) {
            if (one.isEmpty()) {
                continue;
            }
            if (!Scope.isValid(one)) {
                return null;
            }
            parsed.add(Scope.parse(one));
        }
        List<Scope> result = List.copyOf(parsed);
        if (cache.size() < MAX_CACHED) {
            cache.put(value, result);
        }
        return result;
    }
}
