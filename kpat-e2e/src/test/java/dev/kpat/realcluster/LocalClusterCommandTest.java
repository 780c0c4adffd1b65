package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.testing.Kubectl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local-cluster} as a user runs it: a process that prints KUBECONFIG, serves kubectl, and cleans up on Ctrl-C. */
class LocalClusterCommandTest {
    @Test
    void startsInstallsPrintsKubeconfigAndLeavesNoProcessBehind(@TempDir Path dataDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "dev.kpat.demo.Main",
                "local-cluster", "--port", String.valueOf(port), "--data-dir", dataDir.toString())
                .redirectError(dataDir.resolve("stderr.txt").toFile())
                .start();
        try {
            String kubeconfig = null;
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("KUBECONFIG=")) {
                    kubeconfig = line.substring("KUBECONFIG=".length());
                    break;
                }
            }
            assertThat(kubeconfig).as(Files.readString(dataDir.resolve("stderr.txt"))).isNotNull();
            assertThat(Files.readString(Path.of(kubeconfig))).contains("https://127.0.0.1:" + port);

            var binaries = ControlPlaneBinaries.locate(null);
            var kubectl = new Kubectl(binaries, Path.of(kubeconfig));
            assertThat(kubectl.run("get", "crd", "personalaccesstokens.kpat.dev", "-o", "name").out())
                    .contains("personalaccesstokens.kpat.dev");
            assertThat(kubectl.run("get", "validatingadmissionpolicy", "-o", "name").out())
                    .contains("kpat-personalaccesstokens");
            List<ProcessHandle> children = p.descendants().toList();
            assertThat(children.stream().map(c -> c.info().command().orElse("")))
                    .anyMatch(c -> c.endsWith("etcd")).anyMatch(c -> c.endsWith("kube-apiserver"))
                    .anyMatch(c -> c.endsWith("kube-controller-manager"));

            p.destroy(); // SIGTERM, as Ctrl-C or a process manager sends
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(children).allSatisfy(c -> assertThat(c.isAlive()).as(c.info().command().orElse("")).isFalse());
            assertThat(dataDir.resolve("logs/kube-apiserver.log")).exists();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void missingBinariesAreOneLineAndExitOne(@TempDir Path empty) throws Exception {
        Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "dev.kpat.demo.Main",
                "local-cluster", "--bin-dir", empty.toString()).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err.lines().toList()).containsExactly("kpat: etcd not found in " + empty
                + " (testcluster/build builds it and prints the directory)");
    }
}
