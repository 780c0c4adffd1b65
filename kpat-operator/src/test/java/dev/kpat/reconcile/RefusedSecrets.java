package dev.kpat.reconcile;

import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;

/**
 * A ValidatingAdmissionPolicy that refuses every kpat Secret in one test namespace (HTTP 422), as a cluster's policy
 * engine may: writes the operator cannot make, however often it tries. Removed on close.
 */
final class RefusedSecrets implements AutoCloseable {
    private final OperatorHarness h;
    private final ValidatingAdmissionPolicy policy;
    private final ValidatingAdmissionPolicyBinding binding;

    private RefusedSecrets(OperatorHarness h) {
        this.h = h;
        String name = "kpat-test-refuse-secrets-" + h.ns;
        this.policy = h.client.resource(new ValidatingAdmissionPolicyBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withFailurePolicy("Fail")
                .withNewMatchConstraints().addNewResourceRule().withApiGroups("").withApiVersions("v1")
                .withOperations("CREATE", "UPDATE").withResources("secrets").endResourceRule().endMatchConstraints()
                .addNewValidation().withExpression("!has(object.metadata.labels) || !('" + Labels.MANAGED_BY
                        + "' in object.metadata.labels)").withMessage("no kpat Secrets here").endValidation()
                .endSpec().build()).create();
        this.binding = h.client.resource(new ValidatingAdmissionPolicyBindingBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withPolicyName(name).withValidationActions("Deny")
                .withNewMatchResources().withNewNamespaceSelector()
                .addToMatchLabels(OperatorHarness.NAMESPACE_NAME_LABEL, h.ns).endNamespaceSelector()
                .endMatchResources().endSpec().build()).create();
    }

    /** Installs the policy and waits until the API server enforces it (a dry-run create is refused). */
    static RefusedSecrets in(OperatorHarness h) {
        RefusedSecrets refused = new RefusedSecrets(h);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                h.client.secrets().inNamespace(h.ns).resource(new SecretBuilder().withNewMetadata()
                        .withName("probe").withLabels(Map.of(Labels.MANAGED_BY, "probe")).endMetadata().build())
                        .dryRun().create();
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 422;
            }
        });
        return refused;
    }

    String policyName() {
        return policy.getMetadata().getName();
    }

    /** Removes the policy and waits until kpat Secrets are admitted again. */
    void lift() {
        close();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                h.client.secrets().inNamespace(h.ns).resource(new SecretBuilder().withNewMetadata()
                        .withName("probe").withLabels(Map.of(Labels.MANAGED_BY, "probe")).endMetadata().build())
                        .dryRun().create();
                return true;
            } catch (KubernetesClientException e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        h.client.resource(binding).delete();
        h.client.resource(policy).delete();
    }
}
