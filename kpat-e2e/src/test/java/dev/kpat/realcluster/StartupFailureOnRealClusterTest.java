package dev.kpat.realcluster;

import dev.kpat.verify.VerifierMain;
import dev.kpat.operator.OperatorMain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.JavaProcess;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} against a real API server as a user who lacks permissions: the process exits non-zero with one line on
 * stderr naming the HTTP status and the resource (or the missing Lease rights), and no stack trace.
 */
@ExtendWith(RealCluster.class)
class StartupFailureOnRealClusterTest {
    @TempDir
    Path home;

    private JavaProcess.Result run(Path kubeconfig, String... args) throws Exception {
        return new JavaProcess().timeout(Duration.ofSeconds(90))
                .env("HOME", home.toString()).systemProperty("user.home", home.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .unsetEnv("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_MASTER")
                .run("run".equals(args[0]) ? OperatorMain.class : VerifierMain.class, args);
    }

    private static String oneLine(JavaProcess.Result r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isNotZero();
        assertThat(r.stderrLines()).as("stderr").hasSize(1);
        String line = r.stderrLines().get(0);
        System.out.println("stderr: " + line);
        assertThat(line).startsWith("kpat: ").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stdout()).as("stdout").doesNotContain("\tat ");
        return line;
    }

    @Test
    void aUserWithoutRbacGetsTheStatusAndResource(LocalControlPlane plane) throws Exception {
        var r = run(plane.kubeconfigFor("kpat-startup-nobody", List.of()), "run", "--metrics-port", "0",
                "--no-leader-election");
        assertThat(oneLine(r)).contains("may not list/watch personalaccesstokens.kpat.dev, list/watch tokenrecords")
                .contains("list/watch secrets").contains("HTTP 403");
        var v = run(plane.kubeconfigFor("kpat-startup-nobody", List.of()), "verifier", "--port", "0",
                "--host", "127.0.0.1");
        assertThat(oneLine(v)).contains("may not list/watch tokenrecords.kpat.dev cluster-wide");
    }

    @Test
    void aUserWithoutLeaseRightsIsToldAboutLeaderElection(LocalControlPlane plane) throws Exception {
        // everything the operator watches and writes, but nothing on coordination.k8s.io
        plane.admin().rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                .withName("kpat-startup-no-leases").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("", "kpat.dev", "apps", "events.k8s.io")
                        .withResources("*").withVerbs("*").build())
                .build()).serverSideApply();
        plane.admin().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("kpat-startup-no-leases").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "kpat-startup-no-leases")
                .addNewSubject().withKind("User").withName("kpat-startup-no-leases")
                .withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).serverSideApply();
        var r = run(plane.kubeconfigFor("kpat-startup-no-leases", List.of()), "run", "--metrics-port", "0",
                "--leader-election-namespace", "default");
        assertThat(oneLine(r)).contains("leader election").contains("leases.coordination.k8s.io");
    }
}
