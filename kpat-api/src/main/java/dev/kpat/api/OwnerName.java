package dev.kpat.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Kubernetes reads a token's {@code spec.owner}: a ServiceAccount ({@code system:serviceaccount:<ns>:<name>},
 * with a namespace and name the API server allows) or a user. The one place this is decided, for the operator (which
 * binds ServiceAccount owners by uid and matches {@code group:} owner patterns) and for the verifier (which tells the
 * API server the owner's groups), so both read every name alike.
 */
public final class OwnerName {
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    /** Namespace (a DNS label) and name (a DNS subdomain), as the API server allows them. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** A ServiceAccount as an owner names it. */
    public record ServiceAccount(String namespace, String name) {
        /** The Kubernetes groups every ServiceAccount token carries, so RBAC bound to them applies. */
        public List<String> groups() {
            return List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace);
        }
    }

    private OwnerName() {
    }

    /** The ServiceAccount {@code owner} names, or empty for a user (or a string no ServiceAccount can have). */
    public static Optional<ServiceAccount> serviceAccount(String owner) {
        if (owner == null || !owner.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = owner.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !NAMESPACE.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceAccount(parts[0], parts[1]));
    }

    /** The owner string of a ServiceAccount: {@code system:serviceaccount:<ns>:<name>}. */
    public static String of(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    /** The groups Kubernetes derives from the owner's name alone: a ServiceAccount's two; none for a user. */
    public static List<String> impliedGroups(String owner) {
        return serviceAccount(owner).map(ServiceAccount::groups).orElse(List.of());
    }
}
