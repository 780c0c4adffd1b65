package dev.kpat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.lifecycle.OperatorSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo is the product's main job on an embedded cluster: it must pass, and must never print a value. */
class DemoTest {
    @Test
    void demoRunsEveryStepAndPrintsNoTokenValue() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean ok = new Demo(OperatorSettings.defaults(), new PrintStream(buffer, true, StandardCharsets.UTF_8),
                Path.of("../examples")).run(false);
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(ok).as("demo result; its output:%n%s", out).isTrue();
        assertThat(out).contains("Demo finished: every step went as expected.")
                .contains("alice-readonly is Active")
                .contains("has revision 2")
                .contains("is Revoked")
                .contains("demo-expiring is Expired")
                .contains("with ?scope=read -> HTTP 200, user alice")
                .contains("(scope it does not hold) -> HTTP 403")
                .contains("the verifier rejects the revoked value (HTTP 401)")
                .contains("shows Last Used")
                .doesNotContain("FAIL");
        assertThat(out).as("no token value in the demo output").doesNotContainPattern("kpat_[0-9A-Za-z]{38}");
    }
}
