package dev.kpat.reconcile;

import dev.kpat.runtime.TerminatingNamespaces;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Namespaces as a controller sees them: their labels decide which ClusterTokenPolicies apply, so a change of labels
 * re-judges what the controller derives from them (the tokens, the policies' counts). Creations and deletions are no
 * events: a namespace without tokens changes nothing, and its deletion deletes its tokens. The one place namespace
 * labels are read: from the cache, or from the API for a namespace the cache has not seen yet (one created with its
 * tokens), so a policy is never missed for a cache that is behind.
 */
final class NamespaceInformer<P extends HasMetadata> {
    private final KubernetesClient client;
    private final InformerEventSource<Namespace, P> source;

    /** @param affected the primaries a relabelled namespace concerns */
    NamespaceInformer(EventSourceContext<P> context, String name, SecondaryToPrimaryMapper<Namespace> affected) {
        this.client = context.getClient();
        this.source = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class,
                        context.getPrimaryResourceClass())
                .withName(name)
                // cluster-scoped: watched whole even when the operator watches only some namespaces
                .withWatchAllNamespaces()
                .withOnAddFilter(n -> false)
                .withOnUpdateFilter((updated, old) -> !Objects.equals(labelsOf(updated), labelsOf(old)))
                .withOnDeleteFilter((n, unknown) -> false)
                .withPrimaryToSecondaryMapper(this::namespacesOf)
                .withSecondaryToPrimaryMapper(affected)
                .build(), context);
    }

    /**
     * A namespaced primary's own namespace; every namespace for a cluster-scoped one. Given to the JOSDK so that it
     * keeps no index of its own (a set per primary).
     */
    private Set<ResourceID> namespacesOf(P primary) {
        String ns = primary.getMetadata().getNamespace();
        return ns != null ? Set.of(new ResourceID(ns))
                : source.list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    InformerEventSource<Namespace, P> eventSource() {
        return source;
    }

    /** The labels of a namespace (none for one that does not exist). */
    Map<String, String> labels(String namespace) {
        return cached(namespace).or(() -> Optional.ofNullable(client.namespaces().withName(namespace).get()))
                .map(NamespaceInformer::labelsOf).orElse(Map.of());
    }

    /** Whether the cache knows the namespace as being deleted. */
    boolean terminating(String namespace) {
        return cached(namespace).map(TerminatingNamespaces::isTerminating).orElse(false);
    }

    private Optional<Namespace> cached(String namespace) {
        return source.get(new ResourceID(namespace));
    }

    private static Map<String, String> labelsOf(Namespace n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }
}
