package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenPolicy;
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
import java.util.List;
import java.util.stream.Collectors;

/** Keeps each TokenPolicy's status: valid or not, tokens governed (its namespace's) and blocked. */
@ControllerConfiguration(name = "tokenpolicy-status")
public class TokenPolicyStatusReconciler implements Reconciler<TokenPolicy> {
    private final Clock clock;
    private InformerEventSource<PersonalAccessToken, TokenPolicy> tokens;

    public TokenPolicyStatusReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, TokenPolicy>> prepareEventSources(EventSourceContext<TokenPolicy> context) {
        tokens = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(PersonalAccessToken.class, TokenPolicy.class).withName("policy-tokens")
                .withItemStore(LeanStore.tokensForPolicyCounts())
                .withOnUpdateFilter((updated, old) -> !UsageOnlyChanges.of(updated, old))
                .withPrimaryToSecondaryMapper((TokenPolicy policy) -> tokens.list(policy.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withSecondaryToPrimaryMapper(t -> context.getPrimaryCache().list(t.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(tokens);
    }

    @Override
    public UpdateControl<TokenPolicy> reconcile(TokenPolicy policy, Context<TokenPolicy> ctx) {
        String ns = policy.getMetadata().getNamespace();
        List<PersonalAccessToken> governed = tokens.list(ns, PolicyStatusWriter::live).toList();
        return StatusWrites.patchIfChanged(policy, PolicyStatusWriter.status(policy.getStatus(),
                PolicyRef.namespaced(ns, policy.getMetadata().getName()), policy.getSpec(),
                policy.getMetadata().getGeneration(), governed, clock.instant()));
    }
}
