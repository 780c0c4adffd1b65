package dev.kpat.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.operator.OperatorMain;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.JavaProcess;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's namespaced mode on a real API server: its RBAC (rendered with {@code watchNamespaces}, applied for a
 * release of its own) grants the namespaced kinds only in the watched namespace, and the operator run with exactly
 * those rights and {@code --watch-namespaces} starts, syncs every informer and stays ready without one refused
 * request; without the flag the same identity is told at start what it may not do.
 */
@ExtendWith(RealCluster.class)
class WatchNamespacesOnRealClusterTest {
    private static final Set<String> RBAC = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");
    private static final String RELEASE = "kpatwatch";

    private static KubernetesClient admin;
    private static String releaseNs;
    private static String watched;
    private static String other;
    private static List<HasMetadata> applied = List.of();
    private static Kubectl asOperator;
    private static Path kubeconfig;

    @TempDir
    static Path home;

    @BeforeAll
    static void installRbac(LocalControlPlane plane) {
        admin = plane.admin();
        String id = UUID.randomUUID().toString().substring(0, 6);
        releaseNs = "kpat-watch-" + id;
        watched = releaseNs + "-a";
        other = releaseNs + "-b";
        String yaml = Chart.release(RELEASE, releaseNs).set("watchNamespaces[0]", watched).yaml();
        for (String ns : List.of(releaseNs, watched, other)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .serverSideApply();
        }
        applied = admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> RBAC.contains(o.getKind()))
                // the user roles (kpat-view, kpat-edit) have fixed names: ChartRbac's release owns them
                .filter(o -> o.getMetadata().getName().startsWith(RELEASE + "-")).toList();
        applied.forEach(o -> admin.resource(o).fieldManager("kpat-tests").forceConflicts().serverSideApply());
        kubeconfig = plane.kubeconfigForServiceAccount(releaseNs, RELEASE + "-operator");
        asOperator = new Kubectl(plane, kubeconfig);
    }

    @AfterAll
    static void removeRbac() {
        if (admin == null) {
            return;
        }
        applied.stream().filter(o -> o.getMetadata().getNamespace() == null)
                .forEach(o -> admin.resource(o).delete());
        for (String ns : List.of(releaseNs, watched, other)) {
            admin.namespaces().withName(ns).withTimeout(60, TimeUnit.SECONDS).delete();
        }
    }

    @Test
    void theOperatorMayReadSecretsOnlyInTheWatchedNamespace() {
        assertThat(applied).extracting(o -> o.getKind() + "/" + o.getMetadata().getName() + "@"
                        + o.getMetadata().getNamespace())
                .contains("Role/kpatwatch-operator@" + watched, "RoleBinding/kpatwatch-operator@" + watched,
                        "ClusterRole/kpatwatch-operator@null");
        assertCan("yes", "list", "secrets", "-n", watched);
        assertCan("yes", "watch", "personalaccesstokens.kpat.dev", "-n", watched);
        assertCan("yes", "patch", "personalaccesstokens.kpat.dev", "--subresource=status", "-n", watched);
        assertCan("yes", "create", "events", "-n", watched);
        assertCan("no", "list", "secrets", "-n", other);
        assertCan("no", "list", "secrets", "-A");
        assertCan("no", "watch", "personalaccesstokens.kpat.dev", "-n", other);
        assertCan("no", "list", "serviceaccounts", "-A");
        // cluster-scoped kinds stay cluster-wide
        assertCan("yes", "watch", "tokenrecords.kpat.dev");
        assertCan("yes", "create", "tokenrecords.kpat.dev");
        assertCan("yes", "watch", "clustertokenpolicies.kpat.dev");
        // and restarting workloads is opt-in
        assertCan("no", "list", "deployments.apps", "-n", watched);
    }

    @Test
    void theOperatorWithThoseRightsSyncsAndStaysReadyWithNothingRefused() throws Exception {
        Path dir = Path.of("target", "operator-processes", releaseNs);
        Files.createDirectories(dir);
        Path config = Files.copy(kubeconfig, dir.resolve("operator.kubeconfig"), StandardCopyOption.REPLACE_EXISTING);
        try (OperatorProcess operator = OperatorProcess.start("watching", config, RELEASE + "-operator-0",
                dir.resolve("operator.log"), List.of("--no-leader-election", "--watch-namespaces=" + watched))) {
            // ready: every informer (tokens, policies, Secrets, ServiceAccounts here; records, cluster policies
            // everywhere) listed and watched with these rights
            operator.awaitReady(Duration.ofSeconds(90));
            Thread.sleep(2_000);
            assertThat(operator.get("/readyz").statusCode()).isEqualTo(200);
            assertThat(operator.forbiddenLines()).isEmpty();
            assertThat(operator.stop()).isIn(0, 143);
        }
    }

    @Test
    void withoutWatchNamespacesTheSameIdentityIsToldWhatItMayNotDo() throws Exception {
        JavaProcess.Result r = new JavaProcess().timeout(Duration.ofSeconds(90))
                .env("HOME", home.toString()).systemProperty("user.home", home.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .unsetEnv("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_MASTER")
                .run(OperatorMain.class, "run", "--metrics-port", "0", "--no-leader-election");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderrLines()).hasSize(1);
        assertThat(r.stderrLines().get(0)).startsWith("kpat: the credentials in use may not list/watch"
                + " personalaccesstokens.kpat.dev").contains("secrets").contains("cluster-wide")
                .doesNotContain("tokenrecords");
    }

    private static void assertCan(String expected, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "auth";
        command[1] = "can-i";
        System.arraycopy(args, 0, command, 2, args.length);
        assertThat(asOperator.run(command).out().trim()).as(String.join(" ", args)).isEqualTo(expected);
    }
}
