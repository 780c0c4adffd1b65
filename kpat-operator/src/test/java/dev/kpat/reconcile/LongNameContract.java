package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PersonalAccessToken may have a 253-character name, a label value at most 63: the Secret and the records carry
 * valid labels (a real API server refuses anything else; the mock server does not check, so this test does), and the
 * operator still finds the PAT from its Secret. Runs on the mock API ({@link LongNameTest}) and on a real control plane
 * ({@link LongNameOnRealServerTest}), which validates every label.
 */
abstract class LongNameContract {
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final String LONG = ("long-name." + "x".repeat(40) + ".").repeat(5).substring(0, 252) + "z";

    protected OperatorHarness h;

    /** A harness on this backend, its operator not started yet. */
    @BeforeEach
    void start(Harnesses harnesses) {
        h = harnesses.create().start(OperatorSettings.defaults());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static void assertValidLabels(Map<String, String> labels) {
        labels.forEach((k, v) -> assertThat(v.length() <= 63 && LABEL_VALUE.matcher(v).matches())
                .as("label %s=%s", k, v).isTrue());
    }

    @Test
    void aMaximalNameGetsValidLabelsAndTheExactNameInAnnotations() {
        assertThat(LONG).hasSize(253);
        h.create(LONG, s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat(LONG, p -> phaseIs(p, "Active"));

        var secret = h.secret(LONG);
        assertValidLabels(secret.getMetadata().getLabels());
        assertThat(secret.getMetadata().getLabels()).containsEntry(Labels.TOKEN_NAME, LabelValues.of(LONG));
        assertThat(secret.getMetadata().getAnnotations()).containsEntry(Labels.TOKEN_NAME, LONG);
        assertThat(h.client.secrets().inNamespace(h.ns)
                .withLabel(Labels.TOKEN_NAME, LabelValues.of(LONG)).list().getItems()).hasSize(1);

        TokenRecord record = h.record(pat.getStatus().getTokenId());
        assertValidLabels(record.getMetadata().getLabels());
        assertThat(record.getMetadata().getLabels()).containsEntry(Labels.PAT_NAME, LabelValues.of(LONG))
                .containsEntry(Labels.PAT_NAMESPACE, h.ns);
        assertThat(record.getMetadata().getAnnotations()).containsEntry(Labels.PAT_NAME, LONG);

        // a Secret event maps back to the PAT by the annotation: deleting the Secret re-issues the value
        String before = pat.getStatus().getTokenId();
        h.client.secrets().inNamespace(h.ns).withName(LONG).delete();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            PersonalAccessToken p = h.get(LONG);
            return p.getStatus() != null && !before.equals(p.getStatus().getTokenId()) && h.secret(LONG) != null;
        });
        assertThat(h.secret(LONG).getMetadata().getAnnotations()).containsEntry(Labels.TOKEN_NAME, LONG);
    }

    @Test
    void shortNamesKeepTheirNameAsTheLabel() {
        h.create("ci", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("ci", p -> phaseIs(p, "Active"));
        assertThat(h.client.secrets().inNamespace(h.ns).withLabel(Labels.TOKEN_NAME, "ci").list()
                .getItems()).singleElement().satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("ci"));
        assertThat(h.record(pat.getStatus().getTokenId()).getMetadata().getLabels())
                .containsEntry(Labels.PAT_NAME, "ci");
    }
}
