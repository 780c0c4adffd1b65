package dev.kpat.reconcile;

import dev.kpat.api.ClusterTokenPolicy;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenPolicy;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyRef;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the policies that apply to a token: the TokenPolicies of its namespace and the ClusterTokenPolicies whose
 * namespace selector matches its namespace's labels. Policies and namespace labels come from informer caches.
 */
public class PolicyLookup {
    private final Function<String, Stream<TokenPolicy>> namespacePolicies;
    private final java.util.function.Supplier<Stream<ClusterTokenPolicy>> clusterPolicies;
    private final Function<String, Map<String, String>> namespaceLabels;

    public PolicyLookup(Function<String, Stream<TokenPolicy>> namespacePolicies,
                        java.util.function.Supplier<Stream<ClusterTokenPolicy>> clusterPolicies,
                        Function<String, Map<String, String>> namespaceLabels) {
        this.namespacePolicies = namespacePolicies;
        this.clusterPolicies = clusterPolicies;
        this.namespaceLabels = namespaceLabels;
    }

    public List<AppliedPolicy> forToken(PersonalAccessToken pat) {
        String ns = pat.getMetadata().getNamespace();
        List<AppliedPolicy> out = new ArrayList<>();
        namespacePolicies.apply(ns).filter(p -> p.getSpec() != null)
                .forEach(p -> out.add(new AppliedPolicy(PolicyRef.namespaced(ns, p.getMetadata().getName()),
                        p.getSpec())));
        List<ClusterTokenPolicy> cluster = clusterPolicies.get().filter(p -> p.getSpec() != null).toList();
        if (!cluster.isEmpty()) {
            Map<String, String> labels = namespaceLabels.apply(ns);
            for (ClusterTokenPolicy p : cluster) {
                if (selects(p.getSpec().getNamespaceSelector(), labels)) {
                    out.add(new AppliedPolicy(PolicyRef.cluster(p.getMetadata().getName()), p.getSpec()));
                }
            }
        }
        return out;
    }

    /** Whether the ClusterTokenPolicy of that name governs namespace {@code ns}. */
    public boolean governs(String clusterPolicy, String ns) {
        return clusterPolicies.get().filter(p -> p.getMetadata().getName().equals(clusterPolicy)).findFirst()
                .map(p -> selects(p.getSpec() == null ? null : p.getSpec().getNamespaceSelector(),
                        namespaceLabels.apply(ns)))
                .orElse(false);
    }

    /** Kubernetes label selector semantics: matchLabels and matchExpressions, all of them; empty selects all. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
