package dev.kpat.reconcile;

import dev.kpat.api.ClusterTokenPolicy;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenPolicy;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.lifecycle.SpecInput;
import dev.kpat.lifecycle.SpecValidator;
import dev.kpat.lifecycle.TokenPlan;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyChain;
import dev.kpat.policy.PolicyDefaults;
import dev.kpat.policy.PolicyRef;
import dev.kpat.policy.PolicySubject;
import dev.kpat.policy.PolicyViolation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The token controller's view of policies: which apply to a token, the defaults they give it, and the rules it
 * breaks. Policy changes re-judge every token they may govern (tighten blocks, loosen unblocks).
 */
final class TokenPolicies {
    private final OperatorSettings settings;
    private final EventSourceContext<PersonalAccessToken> context;
    private final InformerEventSource<TokenPolicy, PersonalAccessToken> namespaced;
    private final InformerEventSource<ClusterTokenPolicy, PersonalAccessToken> clusterWide;
    private final PolicyLookup lookup;

    TokenPolicies(KubernetesClient client, OperatorSettings settings, EventSourceContext<PersonalAccessToken> context) {
        this.settings = settings;
        this.context = context;
        this.namespaced = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(TokenPolicy.class, PersonalAccessToken.class).withName("token-policies")
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().list(p.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        this.clusterWide = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ClusterTokenPolicy.class, PersonalAccessToken.class).withName("cluster-token-policies")
                .withWatchAllNamespaces() // cluster-scoped
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        this.lookup = new PolicyLookup(client, ns -> namespaced.list(ns, p -> true), () -> clusterWide.list(p -> true));
    }

    List<EventSource<?, PersonalAccessToken>> eventSources() {
        return List.of(namespaced, clusterWide);
    }

    List<AppliedPolicy> applicable(PersonalAccessToken pat) {
        return lookup.forToken(pat);
    }

    /** What spec validation sees: the spec and settings as the policies' defaults complete them. */
    SpecInput specInput(PersonalAccessToken pat, List<AppliedPolicy> applied, Instant now, Instant issuedAt) {
        PolicyDefaults defaults = PolicyDefaults.of(applied);
        return new SpecInput(withDefaults(pat.getSpec(), defaults), settingsWith(defaults), now, issuedAt);
    }

    List<PolicyViolation> violations(PersonalAccessToken pat, List<AppliedPolicy> applied, TokenPlan plan,
                                     Instant issuedAt, Instant now) {
        Instant from = issuedAt == null ? now : issuedAt;
        Duration lifetime = plan.fixedExpiry() != null ? Duration.between(from, plan.fixedExpiry()) : plan.lifetime();
        return PolicyChain.evaluate(applied, new PolicySubject(plan.owner(), plan.scopes(), lifetime,
                ref -> liveTokensAhead(pat, ref)));
    }

    /** The prefix for new values: the most specific policy's, else the operator's. */
    String prefix(List<AppliedPolicy> applied) {
        String prefix = PolicyDefaults.of(applied).tokenPrefix();
        return prefix == null ? settings.tokenPrefix() : prefix;
    }

    /**
     * The spec with the policies' rotation for a token that sets none and can rotate (a relative lifetime: a fixed
     * expiresAt or ttl: never cannot). A rotation that sets only {@code revokeOnReuse} configures no schedule: the
     * default applies, with the token's {@code revokeOnReuse}. Never written back.
     */
    static PersonalAccessTokenSpec withDefaults(PersonalAccessTokenSpec spec, PolicyDefaults defaults) {
        if (spec == null || !setsNoSchedule(spec.getRotation()) || defaults.rotation() == null
                || spec.getExpiresAt() != null || SpecValidator.NEVER.equals(spec.getTtl())) {
            return spec;
        }
        PersonalAccessTokenSpec copy = Serialization.clone(spec);
        RotationSpec rotation = Serialization.clone(defaults.rotation());
        if (spec.getRotation() != null && spec.getRotation().getRevokeOnReuse() != null) {
            rotation.setRevokeOnReuse(spec.getRotation().getRevokeOnReuse());
        }
        copy.setRotation(rotation);
        return copy;
    }

    private static boolean setsNoSchedule(RotationSpec r) {
        return r == null || (r.getEnabled() == null && r.getRenewBefore() == null && r.getGracePeriod() == null);
    }

    /** The operator settings with the policies' default lifetime, never above the operator's own maximum. */
    private OperatorSettings settingsWith(PolicyDefaults defaults) {
        Duration lifetime = defaults.defaultLifetime();
        if (lifetime == null || lifetime.compareTo(settings.maxLifetime()) > 0) {
            return settings;
        }
        return new OperatorSettings(settings.tokenPrefix(), lifetime, settings.maxLifetime(),
                settings.allowNonExpiring(), settings.defaultGracePeriod(), settings.recordRetention());
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
                .filter(p -> PolicyStatusWriter.live(p) && p.getStatus() != null && p.getStatus().getTokenId() != null
                        && p.getStatus().getPhase() != Phase.Failed)
                .filter(p -> ref.isNamespaced() ? ref.namespace().equals(p.getMetadata().getNamespace())
                        : lookup.governs(ref.name(), p.getMetadata().getNamespace()))
                .filter(p -> !ResourceID.fromResource(p).equals(ResourceID.fromResource(pat)))
                .filter(p -> !issued || age.compare(p, pat) < 0)
                .count();
    }
}
