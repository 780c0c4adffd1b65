package dev.kpat.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the alert and dashboard checks rely on: it finds every name and nothing else. */
class PromQlTest {
    @Test
    void findsMetricNamesAndSkipsFunctionsLabelsRangesAndVariables() {
        assertThat(PromQl.metricNames("sum by (phase) (kpat_tokens)")).containsExactly("kpat_tokens");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, endpoint) "
                + "(rate(kpat_verifier_request_duration_seconds_bucket{endpoint=~\"auth|introspect\"}[$__rate_interval])))"))
                .containsExactly("kpat_verifier_request_duration_seconds_bucket");
        assertThat(PromQl.metricNames("(max(kpat_verifier_index_records) == 0)\n  and on() "
                + "(sum(kpat_token_ready_status{condition=\"False\"}) > 0)"))
                .containsExactly("kpat_verifier_index_records", "kpat_token_ready_status");
        assertThat(PromQl.metricNames("(kpat_a > 0) and (kpat_b == 0) and (kpat_a - time() < 7 * 86400)"))
                .containsExactly("kpat_a", "kpat_b");
        assertThat(PromQl.metricNames("absent(kpat_verifier_ready) or vector(1) unless on(pod) up offset 5m"))
                .containsExactly("kpat_verifier_ready", "up");
        assertThat(PromQl.metricNames("sum(increase(x_total[1h])) by (reason) / ignoring(reason) group_left y"))
                .containsExactly("x_total", "y");
    }
}
