package dev.kpat.reconcile;

import dev.kpat.api.ClusterTokenPolicy;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.policy.PolicyRef;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps each ClusterTokenPolicy's status: valid or not, tokens governed (in the namespaces it selects) and blocked.
 * Tokens and namespace labels come from informers, so a relabelled namespace is counted again.
 */
@ControllerConfiguration(name = "clustertokenpolicy-status")
public class ClusterTokenPolicyStatusReconciler implements Reconciler<ClusterTokenPolicy> {
    private final Clock clock;
    private final Set<String> tokenNamespaces;
    private InformerEventSource<PersonalAccessToken, ClusterTokenPolicy> tokens;
    private NamespaceInformer<ClusterTokenPolicy> namespaces;

    public ClusterTokenPolicyStatusReconciler(Clock clock) {
        this(clock, Set.of());
    }

    /** @param tokenNamespaces where the governed tokens are watched; empty for every namespace */
    public ClusterTokenPolicyStatusReconciler(Clock clock, Set<String> tokenNamespaces) {
        this.clock = clock;
        this.tokenNamespaces = Set.copyOf(tokenNamespaces);
    }

    @Override
    public List<EventSource<?, ClusterTokenPolicy>> prepareEventSources(
            EventSourceContext<ClusterTokenPolicy> context) {
        var tokenSource = InformerEventSourceConfiguration
                .from(PersonalAccessToken.class, ClusterTokenPolicy.class).withName("cluster-policy-tokens")
                .withItemStore(LeanStore.tokensForPolicyCounts())
                .withOnUpdateFilter((updated, old) -> !UsageOnlyChanges.of(updated, old))
                .withPrimaryToSecondaryMapper((ClusterTokenPolicy policy) -> tokens.list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withSecondaryToPrimaryMapper(t -> allPolicies(context));
        // the policy is cluster-scoped (watched whole), its tokens only where the operator may see them
        tokens = new InformerEventSource<>((tokenNamespaces.isEmpty() ? tokenSource.withWatchAllNamespaces()
                : tokenSource.withNamespaces(tokenNamespaces)).build(), context);
        namespaces = new NamespaceInformer<>(context, "cluster-policy-namespaces", n -> allPolicies(context));
        return List.of(tokens, namespaces.eventSource());
    }

    private static java.util.Set<ResourceID> allPolicies(EventSourceContext<ClusterTokenPolicy> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<ClusterTokenPolicy> reconcile(ClusterTokenPolicy policy, Context<ClusterTokenPolicy> ctx) {
        Map<String, Boolean> selected = new HashMap<>();
        var selector = policy.getSpec() == null ? null : policy.getSpec().getNamespaceSelector();
        List<PersonalAccessToken> governed = tokens.list(PolicyStatusWriter::live)
                .filter(t -> selected.computeIfAbsent(t.getMetadata().getNamespace(),
                        ns -> PolicyLookup.selects(selector, namespaces.labels(ns))))
                .toList();
        return StatusWrites.patchIfChanged(policy, PolicyStatusWriter.status(policy.getStatus(),
                PolicyRef.cluster(policy.getMetadata().getName()), policy.getSpec(),
                policy.getMetadata().getGeneration(), governed, clock.instant()));
    }
}
