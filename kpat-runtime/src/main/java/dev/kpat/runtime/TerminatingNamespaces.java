package dev.kpat.runtime;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether a namespace is being deleted. The API server refuses to create anything in it (403, reason
 * NamespaceTerminating), and the namespace controller deletes Secrets and tokens in no particular order: a token
 * whose Secret went first must not be issued again, its finalizer revokes it moments later.
 */
public final class TerminatingNamespaces {
    private static final String REASON = "NamespaceTerminating";

    private final KubernetesClient client;

    public TerminatingNamespaces(KubernetesClient client) {
        this.client = client;
    }

    /** Read from the API (before an issue): a namespace that does not exist is not terminating. */
    public boolean isTerminating(String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        return ns != null && isTerminating(ns);
    }

    /** Whether a namespace as read (or cached) is being deleted. */
    public static boolean isTerminating(Namespace ns) {
        return ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    }

    /** Whether the API server refused a create because the namespace is being deleted. */
    public static boolean refusedFor(KubernetesClientException e) {
        var status = e.getStatus();
        return e.getCode() == 403 && status != null && status.getDetails() != null
                && status.getDetails().getCauses() != null
                && status.getDetails().getCauses().stream().anyMatch(c -> REASON.equals(c.getReason()));
    }
}
