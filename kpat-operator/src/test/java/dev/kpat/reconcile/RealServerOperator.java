package dev.kpat.reconcile;

import dev.kpat.testing.DeniedRequests;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.regex.Pattern;

/**
 * The operator's side of a real-server test class: the chart's ServiceAccount and RBAC, a client acting as it whose
 * refused requests are noted, and the log watched for refusals. One per test class; every test's harness shares it.
 */
public final class RealServerOperator implements AutoCloseable {
    /** A refusal in a log line: HTTP 403 (not a number merely containing 403) or the word Forbidden. */
    private static final Pattern REFUSAL = Pattern.compile("(?<![0-9])403(?![0-9])|forbidden",
            Pattern.CASE_INSENSITIVE);

    private final LocalControlPlane plane;
    private final DeniedRequests denied = new DeniedRequests();
    private final KubernetesClient operatorClient;
    private final LogCapture log;
    private final java.util.List<String> excused = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RealServerOperator(LocalControlPlane plane) {
        this.plane = plane;
        this.operatorClient = ChartRbac.install(plane).operatorClient(denied.installer());
        this.log = LogCapture.start();
    }

    public static RealServerOperator on(LocalControlPlane plane) {
        return new RealServerOperator(plane);
    }

    /** A harness in a fresh namespace named after {@code prefix}, its operator acting as the chart's ServiceAccount. */
    public OperatorHarness harness(String prefix) {
        return OperatorHarness.onRealServer(plane, operatorClient, prefix);
    }

    /** The client the operator acts through: the chart's ServiceAccount, its refusals noted. */
    public KubernetesClient operatorClient() {
        return operatorClient;
    }

    /**
     * Until the next check, log lines containing {@code marker} do not count: for a test that makes the cluster
     * refuse the operator on purpose (e.g. an admission policy, whose message says "forbidden" with HTTP 422).
     */
    public void excuseLogLinesContaining(String marker) {
        excused.add(marker);
    }

    /** Fails if the API server refused the operator anything, or the log shows a refusal, since the last check. */
    public void assertNothingRefused() {
        try {
            assertThat(denied.denied()).as("requests of the operator's ServiceAccount the API server refused")
                    .isEmpty();
            assertThat(log.matching(REFUSAL).stream().filter(l -> excused.stream().noneMatch(l::contains)))
                    .as("log lines showing a refusal (403/Forbidden)").isEmpty();
        } finally {
            denied.clear();
            log.clear();
            excused.clear();
        }
    }

    @Override
    public void close() {
        log.close();
        operatorClient.close();
    }
}
