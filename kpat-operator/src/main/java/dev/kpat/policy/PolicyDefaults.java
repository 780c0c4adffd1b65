package dev.kpat.policy;

import dev.kpat.api.RotationSpec;
import dev.kpat.token.Durations;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What applying policies give a token that does not set them itself: the shortest {@code defaultLifetime}; and the
 * rotation and token prefix of the most specific policy (a namespace's TokenPolicy before ClusterTokenPolicies, then
 * by name, so the choice is stable).
 */
public record PolicyDefaults(Duration defaultLifetime, RotationSpec rotation, String tokenPrefix) {
    public static final PolicyDefaults NONE = new PolicyDefaults(null, null, null);

    public static PolicyDefaults of(List<AppliedPolicy> policies) {
        List<AppliedPolicy> ordered = policies.stream()
                .sorted(Comparator.comparing((AppliedPolicy p) -> !p.ref().isNamespaced())
                        .thenComparing(p -> p.ref().name()))
                .toList();
        Duration lifetime = null;
        RotationSpec rotation = null;
        String prefix = null;
        for (AppliedPolicy p : ordered) {
            if (p.spec().getDefaultLifetime() != null) {
                try {
                    Duration d = Durations.parse(p.spec().getDefaultLifetime());
                    lifetime = lifetime == null || d.compareTo(lifetime) < 0 ? d : lifetime;
                } catch (IllegalArgumentException ignored) {
                    // reported on the policy's status; other policies' defaults still apply
                }
            }
            if (rotation == null) {
                rotation = p.spec().getRotation();
            }
            if (prefix == null) {
                prefix = p.spec().getTokenPrefix();
            }
        }
        return new PolicyDefaults(lifetime, rotation, prefix);
    }
}
