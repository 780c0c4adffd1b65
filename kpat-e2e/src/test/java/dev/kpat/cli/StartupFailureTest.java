package dev.kpat.cli;

import dev.kpat.verify.VerifierMain;
import dev.kpat.operator.OperatorMain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.localcluster.Kubeconfig;
import dev.kpat.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code verifier} that cannot start say why in one line on stderr and exit non-zero, without a stack
 * trace: checked through a real process, as a user or a container runtime sees it.
 */
class StartupFailureTest {
    @TempDir
    Path home;

    /** A JVM that sees only the kubeconfig given (or none): HOME is an empty directory, no in-cluster variables. */
    private JavaProcess process(String kubeconfig) {
        return new JavaProcess().timeout(Duration.ofSeconds(90))
                .env("HOME", home.toString()).systemProperty("user.home", home.toString())
                .env("KUBECONFIG", kubeconfig)
                .unsetEnv("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_MASTER");
    }

    private Path kubeconfig(String server) throws Exception {
        Path file = home.resolve("unreachable.kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                contexts:
                - name: c
                  context:
                    cluster: c
                    user: u
                current-context: c
                users:
                - name: u
                  user:
                    token: not-a-real-token
                """.formatted(server));
        return file;
    }

    private static String oneLine(JavaProcess.Result r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isNotZero();
        assertThat(r.stderrLines()).as("stderr").hasSize(1);
        String line = r.stderrLines().get(0);
        System.out.println("stderr: " + line);
        assertThat(line).startsWith("kpat: ").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stdout()).as("stdout").doesNotContain("\tat ").doesNotContain("at dev.kpat");
        return line;
    }

    @Test
    void runWithAnUnreachableApiSaysSoInOneLine() throws Exception {
        var r = process(kubeconfig("https://127.0.0.1:1").toString())
                .run(OperatorMain.class, "run", "--metrics-port", "0");
        assertThat(oneLine(r)).contains("cannot reach the Kubernetes API at https://127.0.0.1:1")
                .contains("Connection refused");
    }

    @Test
    void verifierWithAnUnreachableApiSaysSoInOneLine() throws Exception {
        var r = process(kubeconfig("https://127.0.0.1:1").toString())
                .run(VerifierMain.class, "verifier", "--port", "0", "--host", "127.0.0.1");
        assertThat(oneLine(r)).contains("cannot reach the Kubernetes API at https://127.0.0.1:1");
    }

    @Test
    void runWithoutAnyConfigurationSaysSoInOneLine() throws Exception {
        var r = process(home.toString()).run(OperatorMain.class, "run", "--metrics-port", "0");
        assertThat(oneLine(r)).contains("no Kubernetes configuration").contains("KUBECONFIG");
        var v = process(home.toString()).run(VerifierMain.class, "verifier", "--port", "0");
        assertThat(oneLine(v)).contains("no Kubernetes configuration");
    }

    @Test
    void leaderElectionWithoutLeasePermissionSaysSoInOneLine() throws Exception {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            // the API grants nothing in the SelfSubjectRulesReview leader election starts with: no rights on Leases
            cluster.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                    .andReturn(201, """
                            {"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1",
                             "spec":{"namespace":"default"},
                             "status":{"resourceRules":[],"nonResourceRules":[],"incomplete":false}}""").always();
            var r = process(Kubeconfig.write(cluster).toString())
                    .run(OperatorMain.class, "run", "--metrics-port", "0", "--leader-election-namespace", "default");
            assertThat(oneLine(r)).contains("leader election").contains("leases.coordination.k8s.io");
        }
    }

    @Test
    void aForbiddenRequestNamesTheStatusAndTheResource() throws Exception {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            cluster.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                    .andReturn(403, """
                            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
                             "message":"selfsubjectrulesreviews.authorization.k8s.io is forbidden: User \\"u\\" cannot\
                             create resource \\"selfsubjectrulesreviews\\""}""").always();
            var r = process(Kubeconfig.write(cluster).toString())
                    .run(OperatorMain.class, "run", "--metrics-port", "0", "--leader-election-namespace", "default");
            assertThat(oneLine(r)).contains("leader election").contains("HTTP 403")
                    .contains("selfsubjectrulesreviews").contains("is forbidden");
        }
    }

    @Test
    void aTakenMetricsPortIsNamed() throws Exception {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start();
             var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
            var r = process(Kubeconfig.write(cluster).toString())
                    .run(OperatorMain.class, "run", "--metrics-port", String.valueOf(socket.getLocalPort()));
            assertThat(oneLine(r)).contains("cannot serve metrics on port " + socket.getLocalPort());
        }
    }
}
