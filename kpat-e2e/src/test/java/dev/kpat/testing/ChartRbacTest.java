package dev.kpat.testing;

import dev.kpat.reconcile.RealServerOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The chart's RBAC on a real API server: what its ServiceAccount may and may not do, as kubectl sees it, and that a
 * refusal does fail the real-server tests' check (else "no 403" would prove nothing).
 */
@ExtendWith(RealCluster.class)
class ChartRbacTest {
    @Test
    void theOperatorServiceAccountHasTheChartsRightsAndNoMore(LocalControlPlane plane) {
        ChartRbac rbac = ChartRbac.install(plane);
        assertThat(rbac.operatorServiceAccount()).isEqualTo("kpat-operator");
        assertThat(rbac.applied()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("ServiceAccount/kpat-operator", "ClusterRole/kpat-operator",
                        "ClusterRoleBinding/kpat-operator", "Role/kpat-operator-leader",
                        "RoleBinding/kpat-operator-leader")
                .allMatch(k -> k.matches("(ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)/.*"));
        Path kubeconfig = rbac.operatorKubeconfig();
        Kubectl kubectl = new Kubectl(plane, kubeconfig);
        assertThat(kubectl.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").out())
                .isEqualTo("system:serviceaccount:kpat-system:kpat-operator");
        assertCan(kubectl, "yes", "patch", "personalaccesstokens.kpat.dev", "--subresource=status", "-A");
        assertCan(kubectl, "yes", "create", "secrets", "-n", "anywhere");
        assertCan(kubectl, "yes", "update", "leases.coordination.k8s.io", "-n", ChartRbac.NAMESPACE);
        assertCan(kubectl, "yes", "watch", "serviceaccounts", "-A");
        assertCan(kubectl, "no", "create", "serviceaccounts", "-n", "anywhere");
        assertCan(kubectl, "yes", "watch", "namespaces");
        assertCan(kubectl, "no", "update", "namespaces");
        assertCan(kubectl, "no", "create", "personalaccesstokens.kpat.dev", "-n", "anywhere");
        assertCan(kubectl, "no", "delete", "personalaccesstokens.kpat.dev", "-n", "anywhere");
        assertCan(kubectl, "no", "get", "configmaps", "-n", "anywhere");
        assertCan(kubectl, "no", "update", "leases.coordination.k8s.io", "-n", "default");
    }

    private static void assertCan(Kubectl kubectl, String expected, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "auth";
        command[1] = "can-i";
        System.arraycopy(args, 0, command, 2, args.length);
        assertThat(kubectl.run(command).out().trim()).as(String.join(" ", args)).isEqualTo(expected);
    }

    @Test
    void aRefusedRequestOrALoggedRefusalFailsTheCheck(LocalControlPlane plane) {
        try (RealServerOperator operator = RealServerOperator.on(plane)) {
            operator.assertNothingRefused();
            assertThatThrownBy(() -> operator.operatorClient().configMaps().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(operator::assertNothingRefused).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("403 GET /api/v1/namespaces/default/configmaps");
            operator.assertNothingRefused();

            LoggerFactory.getLogger("dev.kpat.reconcile.WorkloadRestarter")
                    .warn("could not restart Deployment/app (HTTP 403)");
            assertThatThrownBy(operator::assertNothingRefused).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("(HTTP 403)");
        }
    }
}
