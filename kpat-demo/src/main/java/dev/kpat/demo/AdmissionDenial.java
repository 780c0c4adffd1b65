package dev.kpat.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Creates an object as a user until the API server refuses it at admission, and returns the message the user sees.
 * New RBAC bindings and admission policies take effect a moment after they are written, so an RBAC refusal or a
 * create that slipped through (undone at once) means "try again", not an answer.
 */
final class AdmissionDenial {
    private static final String ADMISSION = "ValidatingAdmissionPolicy";

    private AdmissionDenial() {
    }

    /** The API server's message for the denial, or null when none came within {@code timeout}. */
    static String of(KubernetesClient user, KubernetesClient admin, HasMetadata object, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                user.resource(object).create();
                admin.resource(object).withTimeout(10, TimeUnit.SECONDS).delete();
            } catch (KubernetesClientException e) {
                String message = e.getStatus() == null ? null : e.getStatus().getMessage();
                if (e.getCode() == 403 && message != null && message.contains(ADMISSION)) {
                    return message;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
