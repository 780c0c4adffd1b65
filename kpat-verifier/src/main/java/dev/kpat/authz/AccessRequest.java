package dev.kpat.authz;

/**
 * What a SubjectAccessReview asks about: a verb on a resource (group, resource, subresource; empty strings for the
 * core group and no subresource) or a verb on a non-resource URL ({@code path}, with {@code resource} null).
 */
public record AccessRequest(String verb, String group, String resource, String subresource, String path) {
    public static AccessRequest resource(String verb, String group, String resource, String subresource) {
        return new AccessRequest(nonNull(verb), nonNull(group), nonNull(resource), nonNull(subresource), null);
    }

    public static AccessRequest nonResource(String verb, String path) {
        return new AccessRequest(nonNull(verb), null, null, null, nonNull(path));
    }

    public boolean isResourceRequest() {
        return resource != null;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
