package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.ServiceAccountName;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ServiceAccounts tokens are owned by, for binding tokens to them by uid. An informer over every ServiceAccount
 * whose cache keeps only name, namespace, uid and resourceVersion (a metadata-only view: a cluster has many
 * ServiceAccounts and the operator needs nothing else of them). Creations and deletions reconcile the tokens that
 * name the ServiceAccount as owner; updates cannot change a uid and are ignored.
 */
final class ServiceAccountOwners {
    /** Index of the token cache: tokens by the ServiceAccount their owner names ({@code ns/name}). */
    private static final String OWNER_INDEX = "owner-service-account";

    private final KubernetesClient client;
    private final InformerEventSource<ServiceAccount, PersonalAccessToken> source;

    ServiceAccountOwners(KubernetesClient client, EventSourceContext<PersonalAccessToken> context) {
        this.client = client;
        context.getPrimaryCache().addIndexer(OWNER_INDEX, pat -> pat.getSpec() == null ? List.of()
                : ServiceAccountName.of(pat.getSpec().getOwner()).map(sa -> List.of(sa.toString())).orElse(List.of()));
        this.source = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ServiceAccount.class, PersonalAccessToken.class)
                .withName("owner-service-accounts")
                .withItemStore(new MetadataOnlyStore())
                .withOnUpdateFilter((updated, old) -> false)
                .withPrimaryToSecondaryMapper((PersonalAccessToken pat) -> ServiceAccountName.of(
                        pat.getSpec() == null ? null : pat.getSpec().getOwner())
                        .map(sa -> Set.of(new ResourceID(sa.name(), sa.namespace()))).orElse(Set.of()))
                .withSecondaryToPrimaryMapper(sa -> context.getPrimaryCache()
                        .byIndex(OWNER_INDEX, sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName())
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
    }

    InformerEventSource<ServiceAccount, PersonalAccessToken> eventSource() {
        return source;
    }

    /** The uid of that ServiceAccount as the cache has it, or null when there is none. */
    String cachedUid(ServiceAccountName sa) {
        return source.get(new ResourceID(sa.name(), sa.namespace())).map(s -> s.getMetadata().getUid()).orElse(null);
    }

    /**
     * The uid of that ServiceAccount read from the API: before anything irreversible (revoking values) a cache that
     * is behind must not be the reason.
     */
    String liveUid(ServiceAccountName sa) {
        ServiceAccount live = client.serviceAccounts().inNamespace(sa.namespace()).withName(sa.name()).get();
        return live == null ? null : live.getMetadata().getUid();
    }

    /** Keeps a ServiceAccount's identity and nothing else: its secrets, labels and annotations are not ours. */
    private static final class MetadataOnlyStore extends BasicItemStore<ServiceAccount> {
        MetadataOnlyStore() {
            super(Cache::metaNamespaceKeyFunc);
        }

        @Override
        public ServiceAccount put(String key, ServiceAccount sa) {
            ServiceAccount identity = new ServiceAccount();
            identity.setApiVersion(sa.getApiVersion());
            identity.setKind(sa.getKind());
            identity.setMetadata(new ObjectMetaBuilder()
                    .withName(sa.getMetadata().getName())
                    .withNamespace(sa.getMetadata().getNamespace())
                    .withUid(sa.getMetadata().getUid())
                    .withResourceVersion(sa.getMetadata().getResourceVersion())
                    .build());
            return super.put(key, identity);
        }
    }
}
