package dev.kpat.testing;

import com.marcnuri.helm.Helm;
import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Helm chart's ServiceAccounts and RBAC (and nothing else of it), rendered by real Helm as release {@code kpat}
 * in {@code kpat-system} (with the optional {@code rbac.workloadRestart}) and applied to a real control plane, so a
 * test's operator acts with exactly the rights the chart grants it. Applied once per control plane; every caller gets
 * the same ServiceAccounts.
 */
public final class ChartRbac {
    public static final String RELEASE = "kpat";
    public static final String NAMESPACE = "kpat-system";
    private static final Path CHART = Path.of("../helm/kpat");
    private static final Set<String> KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");
    private static final Map<LocalControlPlane, ChartRbac> INSTALLED = new ConcurrentHashMap<>();

    private final LocalControlPlane plane;
    private final List<HasMetadata> applied;

    private ChartRbac(LocalControlPlane plane, List<HasMetadata> applied) {
        this.plane = plane;
        this.applied = applied;
    }

    /** Renders the chart and applies its ServiceAccounts and RBAC to {@code plane}, once per control plane. */
    public static ChartRbac install(LocalControlPlane plane) {
        return INSTALLED.computeIfAbsent(plane, ChartRbac::apply);
    }

    private static ChartRbac apply(LocalControlPlane plane) {
        KubernetesClient admin = plane.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).fieldManager("kpat-tests").forceConflicts().serverSideApply();
        List<HasMetadata> objects = render(admin).stream().filter(o -> KINDS.contains(o.getKind())).toList();
        for (HasMetadata o : objects) {
            admin.resource(o).fieldManager("kpat-tests").forceConflicts().serverSideApply();
        }
        return new ChartRbac(plane, objects);
    }

    private static List<HasMetadata> render(KubernetesClient admin) {
        // the optional right to restart workloads on rotation too, so the workload-restart contract runs here
        String yaml = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .set("rbac.workloadRestart", "true").call();
        return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    /** The objects applied: the chart's ServiceAccounts, (Cluster)Roles and (Cluster)RoleBindings. */
    public List<HasMetadata> applied() {
        return applied;
    }

    /** The operator's ServiceAccount as the chart names it. */
    public String operatorServiceAccount() {
        return serviceAccountEndingWith("-operator");
    }

    /** The verifier's ServiceAccount as the chart names it. */
    public String verifierServiceAccount() {
        return serviceAccountEndingWith("-verifier");
    }

    /** A kubeconfig acting as the operator's ServiceAccount (a TokenRequest token, valid for an hour). */
    public Path operatorKubeconfig() {
        return plane.kubeconfigForServiceAccount(NAMESPACE, operatorServiceAccount());
    }

    /** A kubeconfig acting as the verifier's ServiceAccount (a TokenRequest token, valid for an hour). */
    public Path verifierKubeconfig() {
        return plane.kubeconfigForServiceAccount(NAMESPACE, verifierServiceAccount());
    }

    /** A new client acting as the operator's ServiceAccount; the caller closes it. */
    public KubernetesClient operatorClient() {
        return operatorClient(b -> { });
    }

    /** As {@link #operatorClient()}, with the HTTP client adjusted (e.g. an interceptor that watches responses). */
    public KubernetesClient operatorClient(Consumer<HttpClient.Builder> http) {
        return clientFor(operatorKubeconfig(), http);
    }

    /** A new client acting as the verifier's ServiceAccount, its HTTP client adjusted; the caller closes it. */
    public KubernetesClient verifierClient(Consumer<HttpClient.Builder> http) {
        return clientFor(verifierKubeconfig(), http);
    }

    private static KubernetesClient clientFor(Path kubeconfig, Consumer<HttpClient.Builder> http) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(http).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String serviceAccountEndingWith(String suffix) {
        return applied.stream().filter(o -> "ServiceAccount".equals(o.getKind()))
                .map(o -> o.getMetadata().getName()).filter(n -> n.endsWith(suffix)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart renders no ServiceAccount *" + suffix));
    }
}
