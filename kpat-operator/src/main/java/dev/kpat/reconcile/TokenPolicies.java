package dev.kpat.reconcile;

import dev.kpat.api.ClusterTokenPolicy;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenPolicy;
import dev.kpat.lifecycle.TokenFacts;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyRef;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The token controller's view of policies, from informer caches: which apply to a token, and how many live tokens
 * of the same owner each already governs. Policy changes re-judge every token they may govern (tighten blocks,
 * loosen unblocks); what the policies then say is decided by the planner.
 */
final class TokenPolicies {
    private final EventSourceContext<PersonalAccessToken> context;
    private final InformerEventSource<TokenPolicy, PersonalAccessToken> namespaced;
    private final InformerEventSource<ClusterTokenPolicy, PersonalAccessToken> clusterWide;
    private final PolicyLookup lookup;

    TokenPolicies(EventSourceContext<PersonalAccessToken> context, Function<String, Map<String, String>> labels) {
        this.context = context;
        this.namespaced = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(TokenPolicy.class, PersonalAccessToken.class).withName("token-policies")
                .withPrimaryToSecondaryMapper(this::namespacedOf)
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().list(p.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        this.clusterWide = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ClusterTokenPolicy.class, PersonalAccessToken.class).withName("cluster-token-policies")
                .withWatchAllNamespaces() // cluster-scoped
                .withPrimaryToSecondaryMapper((PersonalAccessToken pat) -> clusterWideOf())
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        this.lookup = new PolicyLookup(ns -> namespaced.list(ns, p -> true), () -> clusterWide.list(p -> true),
                labels);
    }

    /** The policies of a token's namespace (a mapper, so the JOSDK keeps no index of its own: a set per token). */
    private Set<ResourceID> namespacedOf(PersonalAccessToken pat) {
        return namespaced.list(pat.getMetadata().getNamespace(), p -> true).map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    private Set<ResourceID> clusterWideOf() {
        return clusterWide.list(p -> true).map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    List<EventSource<?, PersonalAccessToken>> eventSources() {
        return List.of(namespaced, clusterWide);
    }

    /** The policies that govern the token, and for those that limit tokens per owner, the live tokens ahead. */
    TokenFacts.Policies of(PersonalAccessToken pat) {
        List<AppliedPolicy> applied = lookup.forToken(pat);
        Map<PolicyRef, Integer> ahead = new HashMap<>();
        for (AppliedPolicy p : applied) {
            if (p.spec().getMaxTokensPerOwner() != null) {
                ahead.put(p.ref(), liveTokensAhead(pat, p.ref()));
            }
        }
        return new TokenFacts.Policies(applied, ahead);
    }

    /**
     * Live tokens of the same owner that the policy governs and that come first: for a token not issued yet, every
     * issued one (tokens in use keep their place); for an issued token, those created before it.
     */
    private int liveTokensAhead(PersonalAccessToken pat, PolicyRef ref) {
        boolean issued = pat.getStatus() != null && pat.getStatus().getTokenId() != null;
        Comparator<PersonalAccessToken> age = Comparator
                .comparing((PersonalAccessToken p) -> p.getMetadata().getCreationTimestamp(),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        return (int) context.getPrimaryCache().list()
                .filter(p -> p.getSpec() != null && pat.getSpec().getOwner().equals(p.getSpec().getOwner()))
                .filter(p -> !p.revoked() && p.getStatus() != null && p.getStatus().getTokenId() != null
                        && p.getStatus().getPhase() != Phase.Failed)
                .filter(p -> ref.isNamespaced() ? ref.namespace().equals(p.getMetadata().getNamespace())
                        : lookup.governs(ref.name(), p.getMetadata().getNamespace()))
                .filter(p -> !ResourceID.fromResource(p).equals(ResourceID.fromResource(pat)))
                .filter(p -> !issued || age.compare(p, pat) < 0)
                .count();
    }
}
