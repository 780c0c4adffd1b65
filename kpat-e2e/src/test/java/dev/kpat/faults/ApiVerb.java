package dev.kpat.faults;

import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The Kubernetes verb of an API request, from its method and path as the API server's request-info resolver reads
 * them: a GET on a collection is a list (a watch with {@code ?watch=true} or {@code ?watch=1}), on a named object a
 * get.
 */
enum ApiVerb {
    GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETECOLLECTION, OTHER;

    boolean writes() {
        return this == CREATE || this == UPDATE || this == PATCH || this == DELETE || this == DELETECOLLECTION;
    }

    static ApiVerb of(HttpMethod method, String path, String watchParam) {
        List<String> parts = resourceParts(path);
        boolean named = parts != null && isNamed(parts);
        if (method == HttpMethod.GET) {
            if (parts == null) {
                return OTHER;
            }
            if ("true".equals(watchParam) || "1".equals(watchParam)) {
                return WATCH;
            }
            return named ? GET : LIST;
        }
        if (method == HttpMethod.POST) {
            return CREATE;
        }
        if (method == HttpMethod.PUT) {
            return UPDATE;
        }
        if (method == HttpMethod.PATCH) {
            return PATCH;
        }
        if (method == HttpMethod.DELETE) {
            return named ? DELETE : DELETECOLLECTION;
        }
        return OTHER;
    }

    /** The segments after {@code /api/v1} or {@code /apis/GROUP/VERSION}, or null for a path outside the API. */
    private static List<String> resourceParts(String path) {
        List<String> all = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        if (all.size() >= 2 && all.get(0).equals("api")) {
            return all.subList(2, all.size());
        }
        if (all.size() >= 3 && all.get(0).equals("apis")) {
            return all.subList(3, all.size());
        }
        return null;
    }

    /** {@code namespaces/NS/RESOURCE/NAME[/SUB]} or {@code RESOURCE/NAME[/SUB]} (a namespace itself included). */
    private static boolean isNamed(List<String> parts) {
        if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
            return parts.size() >= 4;
        }
        return parts.size() >= 2;
    }
}
