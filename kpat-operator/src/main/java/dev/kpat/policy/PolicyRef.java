package dev.kpat.policy;

/** Names a policy in messages and conditions: {@code TokenPolicy team-a/strict}, {@code ClusterTokenPolicy baseline}. */
public record PolicyRef(String kind, String namespace, String name) {
    public static PolicyRef cluster(String name) {
        return new PolicyRef("ClusterTokenPolicy", null, name);
    }

    public static PolicyRef namespaced(String namespace, String name) {
        return new PolicyRef("TokenPolicy", namespace, name);
    }

    public boolean isNamespaced() {
        return namespace != null;
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }
}
