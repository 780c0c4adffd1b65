package dev.kpat.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every object the chart renders, with the defaults and with every feature on, is accepted by a real API server
 * ({@code kubectl apply --dry-run=server}, strict field validation): schemas, enums, named ports, label selectors and
 * the CEL of the admission policies are checked by Kubernetes itself, not by a test's idea of them. The Prometheus
 * Operator's kinds come from minimal copies of its CRDs (test resources), installed here and removed afterwards.
 */
@ExtendWith(RealCluster.class)
class ChartOnRealServerTest {
    private static final String MONITORING_CRDS = "/monitoring.coreos.com-crds.yaml";
    /** The namespaces ci/all-features-values.yaml watches. */
    private static final List<String> WATCHED = List.of("kpat-ci-team-a", "kpat-ci-team-b");

    private static Kubectl kubectl;
    private static String releaseNamespace;
    private static String monitoringCrds;

    @BeforeAll
    static void setUp(LocalControlPlane plane) throws IOException {
        kubectl = new Kubectl(plane, plane.adminKubeconfig());
        releaseNamespace = "kpat-chart-" + UUID.randomUUID().toString().substring(0, 8);
        try (InputStream in = ChartOnRealServerTest.class.getResourceAsStream(MONITORING_CRDS)) {
            monitoringCrds = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ok(kubectl.runWithInput(monitoringCrds, "apply", "-f", "-"));
        ok(kubectl.run("wait", "--for=condition=Established", "--timeout=30s",
                "crd/servicemonitors.monitoring.coreos.com", "crd/podmonitors.monitoring.coreos.com",
                "crd/prometheusrules.monitoring.coreos.com"));
        for (String ns : concat(releaseNamespace, WATCHED)) {
            ok(kubectl.run("create", "namespace", ns));
        }
    }

    @AfterAll
    static void tearDown() {
        if (kubectl == null) {
            return;
        }
        kubectl.run(concat("delete", concat("namespace", concat(releaseNamespace, WATCHED))).toArray(String[]::new));
        kubectl.runWithInput(monitoringCrds, "delete", "--ignore-not-found", "-f", "-");
    }

    @Test
    void everyObjectOfTheDefaultsIsAccepted() {
        assertAccepted(Chart.release("kpat", releaseNamespace));
    }

    @Test
    void everyObjectWithEveryFeatureOnIsAccepted() {
        List<JsonNode> objects = Chart.release("kpat", releaseNamespace).allFeatures().objects();
        assertThat(objects.stream().map(o -> o.get("kind").asText())).contains("ServiceMonitor", "PodMonitor",
                "PrometheusRule", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap",
                "Role", "CustomResourceDefinition", "ValidatingAdmissionPolicy");
        assertAccepted(Chart.release("kpat", releaseNamespace).allFeatures());
    }

    @Test
    void aFieldOnlyTheApiServerChecksIsRefused() {
        // securityContext is free-form in the values schema: only the API server knows its fields
        Chart chart = Chart.release("kpat", releaseNamespace).set("operator.securityContext.runAsUserr", "1000");
        Kubectl.Result applied = kubectl.runWithInput(chart.yaml(), "apply", "--dry-run=server", "-f", "-");
        assertThat(applied.exitCode()).isNotZero();
        assertThat(applied.err()).contains("runAsUserr");
    }

    /** Applies the rendering as a server-side dry run and checks the API server took each object, naming it. */
    private static void assertAccepted(Chart chart) {
        List<JsonNode> objects = chart.objects();
        Kubectl.Result applied = kubectl.runWithInput(chart.yaml(), "apply", "--dry-run=server", "-f", "-");
        assertThat(applied.exitCode()).as("kubectl apply --dry-run=server: %s", applied).isZero();
        for (JsonNode o : objects) {
            String kind = o.get("kind").asText().toLowerCase();
            String name = o.at("/metadata/name").asText();
            // kubectl prints "<kind>.<group>/<name> created (server dry run)" (or configured/unchanged) per object
            assertThat(applied.out()).as("%s/%s in: %s", kind, name, applied.out())
                    .containsPattern("(?m)^" + kind + "(\\.[a-z0-9.]+)?/" + name.replace(".", "\\.")
                            + " (created|configured|unchanged) \\(server dry run\\)$");
        }
    }

    private static void ok(Kubectl.Result result) {
        assertThat(result.ok()).as("%s", result).isTrue();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
