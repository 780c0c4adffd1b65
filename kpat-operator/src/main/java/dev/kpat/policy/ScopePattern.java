package dev.kpat.policy;

import dev.kpat.token.Scope;
import java.util.regex.Pattern;

/**
 * A scope pattern in a policy: {@code action} or {@code action:resource}, where either word may be {@code *}.
 * A bare action covers every resource, as a bare scope grants it. Two questions are asked of a pattern:
 * does it <em>cover</em> everything a scope grants (for allow lists), and does it <em>overlap</em> anything a scope
 * grants (for deny lists).
 */
public record ScopePattern(String action, String resource) {
    /** As {@link Scope#PATTERN}, with {@code *} allowed for either part. */
    private static final Pattern SYNTAX =
            Pattern.compile("^(\\*|[a-z0-9-]+)(:(\\*|[a-z0-9-]+(\\.[a-z0-9-]+)*(/[a-z0-9-]+)?))?$");

    public static ScopePattern parse(String text) {
        if (text == null || !SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("scope pattern '" + text + "' is not 'action' or 'action:resource'"
                    + " with lowercase words or '*'");
        }
        int colon = text.indexOf(':');
        return colon < 0 ? new ScopePattern(text, null) : new ScopePattern(text.substring(0, colon),
                text.substring(colon + 1));
    }

    /** Whether everything {@code scope} grants lies inside this pattern. */
    public boolean covers(Scope scope) {
        if (scope.isWildcard()) {
            return "*".equals(action) && (resource == null || "*".equals(resource));
        }
        if (!"*".equals(action) && !action.equals(scope.action())) {
            return false;
        }
        if (resource == null || "*".equals(resource)) {
            return true;
        }
        return resource.equals(scope.resource());
    }

    /** Whether {@code scope} grants anything inside this pattern. */
    public boolean overlaps(Scope scope) {
        if (scope.isWildcard()) {
            return true;
        }
        if (!"*".equals(action) && !action.equals(scope.action())) {
            return false;
        }
        return resource == null || "*".equals(resource) || scope.resource() == null
                || resource.equals(scope.resource());
    }

    @Override
    public String toString() {
        return resource == null ? action : action + ":" + resource;
    }
}
