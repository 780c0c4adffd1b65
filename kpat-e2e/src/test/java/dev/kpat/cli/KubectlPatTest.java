package dev.kpat.cli;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.Kubeconfig;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.reconcile.OperatorHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code kubectl pat} end to end: the plugin's commands against a cluster the operator runs on. */
class KubectlPatTest {
    private final OperatorHarness h = new OperatorHarness().start(OperatorSettings.defaults());

    @AfterEach
    void stop() {
        h.close();
    }

    private record Run(int code, String out, String err) {
    }

    private Run pat(String... args) throws Exception {
        Path kubeconfig = Kubeconfig.write(h.cluster);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--kubeconfig";
        full[args.length + 1] = kubeconfig.toString();
        int code = KubectlPat.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(full);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listRotateRevokeAndAudit() throws Exception {
        h.create("wild", s -> {
            s.setScopes(List.of("*"));
            s.setTtl("30d");
        });
        h.create("plain", s -> s.setTtl("30d"));
        h.awaitPat("wild", p -> phaseIs(p, "Active"));
        h.awaitPat("plain", p -> phaseIs(p, "Active"));

        Run list = pat("list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("NAME", "OWNER", "wild", "plain", "Active");

        Run audit = pat("audit", "-o", "json", "--fail-on-findings");
        assertThat(audit.code()).isEqualTo(3);
        assertThat(audit.out()).contains("\"rule\" : \"WildcardScope\"").contains("\"name\" : \"wild\"")
                .doesNotContain("\"name\" : \"plain\"");

        Run rotate = pat("rotate", "plain");
        assertThat(rotate.code()).isZero();
        assertThat(rotate.out()).contains("personalaccesstoken.kpat.dev/plain rotation requested");
        h.awaitPat("plain", p -> p.getStatus().getRevision() == 2L);

        Run revoke = pat("revoke", "wild");
        assertThat(revoke.code()).isZero();
        h.awaitPat("wild", p -> phaseIs(p, "Revoked"));
        assertThat(pat("audit").out()).contains("No findings.");

        Run missing = pat("revoke", "nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("personalaccesstoken default/nope not found");
    }
}
