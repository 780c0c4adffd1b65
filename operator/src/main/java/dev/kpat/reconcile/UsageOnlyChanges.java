package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.function.Consumer;

/**
 * Updates that carry nothing but usage (last use, count, client addresses): what verifiers write to TokenRecords at
 * every flush and the operator mirrors into a token's status. They are no lifecycle event, so they trigger no
 * reconcile of a token or a policy; {@link TokenUsageReconciler} mirrors them.
 */
final class UsageOnlyChanges {
    private UsageOnlyChanges() {
    }

    static boolean of(TokenRecord updated, TokenRecord old) {
        return sameWithout(updated, old, r -> {
            if (r.getStatus() != null) {
                r.getStatus().setLastUsedAt(null);
                r.getStatus().setUsageCount(null);
                r.getStatus().setRecentClientIPs(null);
            }
        });
    }

    static boolean of(PersonalAccessToken updated, PersonalAccessToken old) {
        return sameWithout(updated, old, p -> {
            if (p.getStatus() != null) {
                p.getStatus().setLastUsedAt(null);
                p.getStatus().setUsageCount(null);
                p.getStatus().setRecentClientIPs(null);
            }
        });
    }

    /** Whether the two are alike once the usage (and the version stamps every write changes) is taken out. */
    private static <T extends HasMetadata> boolean sameWithout(T updated, T old, Consumer<T> stripUsage) {
        if (updated == null || old == null) {
            return false;
        }
        return Serialization.asJson(stripped(updated, stripUsage)).equals(Serialization.asJson(stripped(old, stripUsage)));
    }

    private static <T extends HasMetadata> T stripped(T resource, Consumer<T> stripUsage) {
        T copy = Serialization.clone(resource);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setManagedFields(null);
        stripUsage.accept(copy);
        return copy;
    }
}
