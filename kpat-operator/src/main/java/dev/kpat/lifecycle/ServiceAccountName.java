package dev.kpat.lifecycle;

import java.util.Optional;
import java.util.regex.Pattern;

/** The ServiceAccount a token owner names, as Kubernetes spells it: {@code system:serviceaccount:<ns>:<name>}. */
public record ServiceAccountName(String namespace, String name) {
    private static final String PREFIX = "system:serviceaccount:";
    /** Namespace (a DNS label) and name (a DNS subdomain), as the API server allows them. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** The ServiceAccount {@code owner} names, or empty for a user (or a string no ServiceAccount can have). */
    public static Optional<ServiceAccountName> of(String owner) {
        if (owner == null || !owner.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = owner.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !NAMESPACE.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceAccountName(parts[0], parts[1]));
    }

    /** The owner string: {@code system:serviceaccount:<ns>:<name>}. */
    public String owner() {
        return PREFIX + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
