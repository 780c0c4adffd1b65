package dev.kpat.token;

import java.util.regex.Pattern;

/**
 * One scope: {@code *}, a bare {@code action} (that action on every resource) or {@code action:resource}.
 * Words are lowercase {@code [a-z0-9-]}; a resource may name a Kubernetes API group and subresource the way RBAC and
 * kubectl write them, {@code resource[.group][/subresource]} (e.g. {@code deployments.apps}, {@code pods/log}).
 */
public record Scope(String action, String resource) {
    /** The grammar as a regular expression, used in the CRD schema too. */
    public static final String PATTERN = "^(\\*|[a-z0-9-]+(:[a-z0-9-]+(\\.[a-z0-9-]+)*(/[a-z0-9-]+)?)?)$";
    public static final String WILDCARD = "*";
    private static final Pattern SYNTAX = Pattern.compile(PATTERN);

    public static boolean isValid(String text) {
        return text != null && SYNTAX.matcher(text).matches();
    }

    /** @throws IllegalArgumentException naming the scope and the grammar */
    public static Scope parse(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("scope '" + text
                    + "' is not '*', 'action' or 'action:resource' with lowercase words [a-z0-9-]");
        }
        if (WILDCARD.equals(text)) {
            return new Scope(WILDCARD, null);
        }
        int colon = text.indexOf(':');
        return colon < 0 ? new Scope(text, null) : new Scope(text.substring(0, colon), text.substring(colon + 1));
    }

    public boolean isWildcard() {
        return WILDCARD.equals(action);
    }

    /** Whether holding this scope grants {@code required}. */
    public boolean grants(Scope required) {
        if (isWildcard()) {
            return true;
        }
        if (required.isWildcard() || !action.equals(required.action)) {
            return false;
        }
        return resource == null || resource.equals(required.resource);
    }

    @Override
    public String toString() {
        return resource == null ? action : action + ":" + resource;
    }
}
