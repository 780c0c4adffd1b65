package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.lifecycle.OperatorSettings;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workloads that opt in are rolled when their token gets a new value; others are left alone. Runs on the embedded
 * mock API ({@link WorkloadRestartTest}) and on a real control plane with the chart's RBAC
 * ({@link WorkloadRestartOnRealServerTest}), where no Deployment controller runs: the pod template annotation that
 * rolls a workload is what is checked, not the pods.
 */
abstract class WorkloadRestartContract {
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

    private Deployment deployment(String name, Map<String, String> annotations) {
        return h.client.apps().deployments().inNamespace(h.ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private String restartedAt(String name) {
        var annotations = h.client.apps().deployments().inNamespace(h.ns).withName(name).get()
                .getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(WorkloadRestarter.RESTARTED_AT_ANNOTATION);
    }

    @Test
    void optedInWorkloadsRollOnANewValueOnly() {
        deployment("uses-env", Map.of(WorkloadRestarter.OPT_IN_ANNOTATION, "other-token, app-token"));
        deployment("mounts-file", Map.of());
        h.create("app", s -> {
            s.setTtl("30d");
            s.setSecretName("app-token");
        });
        h.awaitPat("app", p -> phaseIs(p, "Active"));
        assertThat(restartedAt("uses-env")).as("the first value needs no restart").isNull();

        h.annotate("app", Labels.ROTATE_ANNOTATION, "1");
        h.awaitPat("app", p -> p.getStatus().getRevision() == 2L);
        await().atMost(Duration.ofSeconds(5)).until(() -> restartedAt("uses-env") != null);
        assertThat(restartedAt("uses-env")).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(restartedAt("mounts-file")).isNull();
        assertThat(h.hasEvent("app", "WorkloadsRestarted")).isTrue();
    }
}
