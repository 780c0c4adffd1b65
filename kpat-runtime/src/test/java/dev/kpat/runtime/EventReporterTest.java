package dev.kpat.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which replica reports an Event: the pod's name from the downward API first, as the chart sets it. */
class EventReporterTest {
    @Test
    void thePodNameWinsThenTheHostname() {
        assertThat(EventReporter.of("kpat-operator", "kpat.dev/operator",
                Map.of("POD_NAME", "kpat-operator-7d9f-abcde", "HOSTNAME", "other")).instance())
                .isEqualTo("kpat-operator-7d9f-abcde");
        assertThat(EventReporter.of("kpat-operator", "kpat.dev/operator", Map.of("POD_NAME", " ", "HOSTNAME", "h1"))
                .instance()).isEqualTo("h1");
        assertThat(EventReporter.of("kpat-operator", "kpat.dev/operator", Map.of()).instance()).isNotBlank();
    }

    @Test
    void anInstanceNameIsCutToWhatTheApiAccepts() {
        String longName = "p".repeat(200);
        assertThat(EventReporter.of("c", "kpat.dev/c", Map.of("POD_NAME", longName)).instance())
                .hasSize(EventReporter.MAX_INSTANCE);
    }

    @Test
    void theOperatorAndTheVerifierNameThemselves() {
        assertThat(EventReporter.operator().component()).isEqualTo("kpat-operator");
        assertThat(EventReporter.operator().controller()).isEqualTo("kpat.dev/operator");
        assertThat(EventReporter.verifier().component()).isEqualTo("kpat-verifier");
        assertThat(EventReporter.verifier().controller()).isEqualTo("kpat.dev/verifier");
    }
}
