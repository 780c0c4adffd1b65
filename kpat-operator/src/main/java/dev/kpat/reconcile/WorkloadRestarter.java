package dev.kpat.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls workloads that read a token once at start-up (an environment variable, a client built at boot) when a new
 * value is issued. Opt-in: a Deployment, StatefulSet or DaemonSet annotated {@code kpat.dev/restart-on-rotation}
 * with the Secret names it uses gets {@code kpat.dev/restarted-at} in its pod template, which rolls it the way
 * {@code kubectl rollout restart} does. A workload whose patch fails is logged and the others still roll; a list that
 * fails throws. Either way the issue stands: restarts run after the writes, as a best-effort effect
 * ({@link TokenEffects}). The right to restart is optional (the chart's {@code rbac.workloadRestart}, off by
 * default): the operator asks the API server whether it may list workloads in the namespace first (cached for a few
 * minutes), and skips the restart when it may not, instead of sending requests bound to be refused.
 */
public class WorkloadRestarter {
    public static final String OPT_IN_ANNOTATION = "kpat.dev/restart-on-rotation";
    public static final String RESTARTED_AT_ANNOTATION = "kpat.dev/restarted-at";
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadRestarter.class);
    private static final Duration PERMISSION_TTL = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final Map<String, Permission> permissions = new ConcurrentHashMap<>();

    private record Permission(boolean allowed, Instant checkedAt) {
    }

    public WorkloadRestarter(KubernetesClient client) {
        this.client = client;
    }

    /** Restarts the workloads in {@code namespace} that opted in for {@code secretName}; returns their names. */
    public List<String> restartFor(String namespace, String secretName, Instant now) {
        if (!permitted(namespace, now)) {
            return List.of();
        }
        var apps = client.apps();
        List<HasMetadata> workloads = Stream.<List<? extends HasMetadata>>of(
                        apps.deployments().inNamespace(namespace).list().getItems(),
                        apps.statefulSets().inNamespace(namespace).list().getItems(),
                        apps.daemonSets().inNamespace(namespace).list().getItems())
                .flatMap(List::stream).map(w -> (HasMetadata) w)
                .filter(w -> optedIn(w, secretName)).toList();
        String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT_ANNOTATION
                + "\":\"" + now + "\"}}}}}";
        return workloads.stream().filter(w -> restart(w, patch))
                .map(w -> w.getKind() + "/" + w.getMetadata().getName()).toList();
    }

    private boolean restart(HasMetadata workload, String patch) {
        try {
            client.resource(workload).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            LOG.warn("could not restart {}/{} (HTTP {})", workload.getKind(), workload.getMetadata().getName(),
                    e.getCode());
            return false;
        }
    }

    private boolean permitted(String namespace, Instant now) {
        Permission known = permissions.get(namespace);
        if (known != null && known.checkedAt().plus(PERMISSION_TTL).isAfter(now)) {
            return known.allowed();
        }
        boolean allowed = Stream.of("deployments", "statefulsets", "daemonsets").allMatch(r -> mayList(namespace, r));
        if (!allowed && (known == null || known.allowed())) {
            LOG.info("workloads in {} are not restarted on rotation: no right to list and patch them (Helm value"
                    + " rbac.workloadRestart)", namespace);
        }
        permissions.put(namespace, new Permission(allowed, now));
        return allowed;
    }

    /** An API that cannot answer the review (the mock server in tests) is not held against the restart. */
    private boolean mayList(String namespace, String resource) {
        SelfSubjectAccessReview review;
        try {
            review = client.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
                    .withNewResourceAttributes().withVerb("list").withGroup("apps").withResource(resource)
                    .withNamespace(namespace).endResourceAttributes().endSpec().build()).create();
        } catch (KubernetesClientException e) {
            return true;
        }
        return review == null || review.getStatus() == null || review.getStatus().getAllowed() == null
                || review.getStatus().getAllowed();
    }

    private static boolean optedIn(HasMetadata workload, String secretName) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String names = annotations == null ? null : annotations.get(OPT_IN_ANNOTATION);
        return names != null && Arrays.stream(names.split(",")).map(String::trim).anyMatch(secretName::equals);
    }
}
