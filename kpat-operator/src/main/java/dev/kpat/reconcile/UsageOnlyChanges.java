package dev.kpat.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * Updates that carry nothing but usage (last use, count, client addresses): what verifiers write to TokenRecords at
 * every flush and the operator mirrors into a token's status. They are no lifecycle event, so they trigger no
 * reconcile of a token or a policy; {@link TokenUsageReconciler} mirrors them.
 */
final class UsageOnlyChanges {
    /** The usage fields, by the same names in a TokenRecord's status and a PersonalAccessToken's. */
    private static final List<String> USAGE = List.of("lastUsedAt", "usageCount", "recentClientIPs");
    /** What every write changes. */
    private static final List<String> VERSION_STAMPS = List.of("resourceVersion", "managedFields");

    private UsageOnlyChanges() {
    }

    /** Whether the two versions are alike once usage (and the version stamps every write changes) is taken out. */
    static boolean of(HasMetadata updated, HasMetadata old) {
        return updated != null && old != null && withoutUsage(updated).equals(withoutUsage(old));
    }

    private static JsonNode withoutUsage(HasMetadata resource) {
        JsonNode tree = Serialization.jsonMapper().valueToTree(resource);
        if (tree.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove(VERSION_STAMPS);
        }
        if (tree.get("status") instanceof ObjectNode status) {
            status.remove(USAGE);
        }
        // a record's first usage flush creates its status: no status and a status of usage alone are alike
        if (tree instanceof ObjectNode whole && tree.path("status").isEmpty()) {
            whole.remove("status");
        }
        return tree;
    }
}
