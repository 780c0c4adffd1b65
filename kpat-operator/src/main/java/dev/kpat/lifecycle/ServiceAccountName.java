package dev.kpat.lifecycle;

import dev.kpat.api.OwnerName;
import java.util.Optional;

/** The ServiceAccount a token owner names, as Kubernetes spells it: {@code system:serviceaccount:<ns>:<name>}. */
public record ServiceAccountName(String namespace, String name) {

    /** The ServiceAccount {@code owner} names, or empty for a user (or a string no ServiceAccount can have). */
    public static Optional<ServiceAccountName> of(String owner) {
        return OwnerName.serviceAccount(owner).map(sa -> new ServiceAccountName(sa.namespace(), sa.name()));
    }

    /** The owner string: {@code system:serviceaccount:<ns>:<name>}. */
    public String owner() {
        return OwnerName.of(namespace, name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
