package dev.kpat.reconcile;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The token controller's informers: the changes that make it reconcile a token (its Secret, its records, policies,
 * ServiceAccount owners, namespace labels) and the caches the observer reads where a cache is safe.
 */
final class TokenCaches {
    private static final String PAT_UID_INDEX = "pat-uid";

    private final KubernetesClient client;
    private volatile IndexedResourceCache<PersonalAccessToken> tokens;
    private InformerEventSource<Secret, PersonalAccessToken> secrets;
    private InformerEventSource<TokenRecord, PersonalAccessToken> records;
    private TokenPolicies policies;
    private ServiceAccountOwners owners;
    private NamespaceInformer<PersonalAccessToken> namespaces;

    TokenCaches(KubernetesClient client) {
        this.client = client;
    }

    List<EventSource<?, PersonalAccessToken>> prepare(EventSourceContext<PersonalAccessToken> context) {
        tokens = context.getPrimaryCache();
        // only kpat's own Secrets are cached; the mapping is by the token-name annotation (the label may be a
        // shortened form of a long name), so no owner-reference lookup is needed
        secrets = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Secret.class, PersonalAccessToken.class)
                .withName("token-secrets")
                .withItemStore(LeanStore.secretsWithDigests())
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
                // the JOSDK keeps no index of primaries to secondaries when told how to find them: here, its name
                .withPrimaryToSecondaryMapper((PersonalAccessToken pat) -> Set.of(new ResourceID(pat.secretName(),
                        pat.getMetadata().getNamespace())))
                .withSecondaryToPrimaryMapper(s -> {
                    String name = TokenSecrets.patNameOf(s);
                    return name == null ? Set.of() : Set.of(new ResourceID(name, s.getMetadata().getNamespace()));
                })
                .build(), context);
        // record changes (edits by hand, a reuse detected by a verifier) reconcile the token. Usage written by
        // verifiers does not (TokenUsageReconciler mirrors it). A pending record coming and going is the operator's
        // own issue step: were it an event, an issue the API keeps refusing (its pending record created, then taken
        // back) would re-trigger itself at once, for ever, past the retry backoff. A pending record a crash left
        // behind is found by the next reconcile anyway.
        records = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(TokenRecord.class, PersonalAccessToken.class)
                .withName("token-records")
                .withItemStore(LeanStore.withoutManagedFields())
                // cluster-scoped: watched whole even when the operator watches only some namespaces
                .withWatchAllNamespaces()
                .withOnAddFilter(r -> !isPending(r))
                .withOnUpdateFilter((updated, old) -> !UsageOnlyChanges.of(updated, old))
                .withOnDeleteFilter((r, finalStateUnknown) -> !isPending(r))
                .withPrimaryToSecondaryMapper((PersonalAccessToken pat) -> recordsOf(pat).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().getTokenRef() == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().getTokenRef().getName(),
                        r.getSpec().getTokenRef().getNamespace())))
                .build(), context);
        records.addIndexers(Map.of(PAT_UID_INDEX, r -> r.getSpec() == null || r.getSpec().getTokenRef() == null
                ? List.of() : List.of(r.getSpec().getTokenRef().getUid())));
        namespaces = new NamespaceInformer<>(context, "token-namespaces", ns -> context.getPrimaryCache()
                .list(ns.getMetadata().getName()).map(ResourceID::fromResource).collect(Collectors.toSet()));
        policies = new TokenPolicies(context, namespaces::labels);
        owners = new ServiceAccountOwners(client, context);
        List<EventSource<?, PersonalAccessToken>> all = new ArrayList<>(List.of(secrets, records,
                namespaces.eventSource(), owners.eventSource()));
        all.addAll(policies.eventSources());
        return all;
    }

    /** The tokens as the controller's own cache holds them (none before it starts). */
    Stream<PersonalAccessToken> tokens() {
        var cache = tokens;
        return cache == null ? Stream.empty() : cache.list();
    }

    /** Every record issued for the token (by uid), as the cache has them. */
    List<TokenRecord> recordsOf(PersonalAccessToken pat) {
        return records.byIndex(PAT_UID_INDEX, pat.getMetadata().getUid());
    }

    /** The token's Secret as the cache holds it (if kpat's): no value, its digest instead; or null. */
    Secret cachedSecret(PersonalAccessToken pat) {
        return secrets.get(new ResourceID(pat.secretName(), pat.getMetadata().getNamespace())).orElse(null);
    }

    /** A record as the cache holds it, or null. */
    TokenRecord cachedRecord(String tokenId) {
        return records.get(new ResourceID(tokenId)).orElse(null);
    }

    TokenPolicies policies() {
        return policies;
    }

    ServiceAccountOwners owners() {
        return owners;
    }

    NamespaceInformer<PersonalAccessToken> namespaces() {
        return namespaces;
    }

    private static boolean isPending(TokenRecord record) {
        return record.getSpec() != null && record.getSpec().pending();
    }
}
