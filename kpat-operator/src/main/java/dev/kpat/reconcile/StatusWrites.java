package dev.kpat.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;

/**
 * Status patches with a second look. JOSDK 5.3 drops an event that reaches the informer while one of its own status
 * patches is in flight and is older than the patch's answer (java-operator-sdk#3398, reworked upstream after 5.3): a
 * deletion or an edit landing in that window waited for the next unrelated event. Verifiers' usage writes cause status
 * patches all the time, so tokens got stuck in deletion. Each status patch is therefore followed by one more reconcile
 * shortly after, which sees such a change; a reconcile that finds nothing to change writes nothing, so it ends there.
 */
final class StatusWrites {
    static final Duration RECHECK = Duration.ofSeconds(2);

    private StatusWrites() {
    }

    /**
     * Sets {@code status} and patches it only when it changed, so a status write does not trigger an endless chain
     * of reconciles. Statuses are compared as the API stores them (their JSON).
     */
    static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(P resource, S status) {
        boolean unchanged = resource.getStatus() != null
                && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status));
        resource.setStatus(status);
        return unchanged ? UpdateControl.noUpdate() : patch(resource);
    }

    /** Patches {@code resource}'s status and looks again after {@link #RECHECK}. */
    static <P extends HasMetadata> UpdateControl<P> patch(P resource) {
        return UpdateControl.patchStatus(resource).rescheduleAfter(RECHECK.toMillis());
    }

    /**
     * {@code control}, to run again after {@code wakeUp} (null: no wake-up), or sooner when it patches status.
     */
    static <P extends HasMetadata> UpdateControl<P> wakeUpAfter(UpdateControl<P> control, Duration wakeUp) {
        Duration next = wakeUp;
        if (control.isPatchStatus() && (next == null || next.compareTo(RECHECK) > 0)) {
            next = RECHECK;
        }
        return next == null ? control : control.rescheduleAfter(next.toMillis() + 1);
    }
}
