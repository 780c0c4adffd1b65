package dev.kpat.verify.http;

import dev.kpat.token.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses {@code ?scope=} values, remembering the few distinct ones an ingress sends (one per protected route), so
 * the request path does not run the scope grammar on every call. Unknown values beyond the bound are parsed each
 * time, so a client cannot grow the cache.
 */
final class RequiredScopes {
    private static final int MAX_CACHED = 1024;
    private final ConcurrentHashMap<String, List<Scope>> cache = new ConcurrentHashMap<>();

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
