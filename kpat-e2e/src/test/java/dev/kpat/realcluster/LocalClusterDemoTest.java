package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.demo.Main;
import dev.kpat.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code demo --local-cluster} as a user runs it: the narrated demo on its own real control plane, including the step
 * only a real API server can show (mallory refused at admission), exiting 0 and printing no token value.
 */
class LocalClusterDemoTest {
    private static final String MALLORY_SEES = "personalaccesstokens.kpat.dev \"mallory-for-alice\" is forbidden: "
            + "ValidatingAdmissionPolicy 'kpat-personalaccesstokens' with binding 'kpat-personalaccesstokens' denied "
            + "request: you (mallory) may create tokens only for yourself or for identities you may impersonate, "
            + "not for alice";

    @Test
    void demoOnARealControlPlanePassesEveryStepAndShowsTheAdmissionDenial() throws Exception {
        List<String> args = new ArrayList<>(List.of("demo", "--local-cluster", "--examples", "../examples"));
        String binDir = System.getProperty("kpat.k8s.bin");
        if (binDir != null && !binDir.isBlank()) {
            args.addAll(List.of("--bin-dir", binDir));
        }
        JavaProcess.Result r = new JavaProcess().timeout(Duration.ofMinutes(4)).run(Main.class,
                args.toArray(String[]::new));
        String out = r.stdout();
        assertThat(r.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", out, r.stderr()).isZero();
        assertThat(out).contains("Local control plane (etcd, kube-apiserver, kube-controller-manager) at https://")
                .contains("alice-readonly is Active")
                .contains("with ?scope=read -> HTTP 200, user alice")
                .contains("the verifier rejects the revoked value (HTTP 401)")
                .contains("demo-expiring is Expired")
                .contains("== 7. Admission: nobody mints a token for someone else")
                .contains("  the API server answers 403 Forbidden: " + MALLORY_SEES + "\n")
                .contains("ok    no token for alice was created")
                .contains("mallory-own (mallory's own token) is Active")
                .contains("Demo finished: every step went as expected.")
                .doesNotContain("FAIL");
        assertThat(Files.readString(Path.of("../README.md"))).as("README, Admission, documents what mallory sees")
                .contains("    " + MALLORY_SEES + "\n");
        assertThat(out + r.stderr()).as("no token value in the demo's output")
                .doesNotContainPattern("kpat_[0-9A-Za-z]{38}");
    }
}
