package dev.kpat.reconcile;

import dev.kpat.lifecycle.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Kubernetes-convention conditions: {@code lastTransitionTime} moves only when {@code status} changes. */
final class Conditions {
    static final String READY = "Ready";
    static final String EXPIRED = "Expired";
    static final String REVOKED = "Revoked";
    /** kstatus (Flux, kpt, cli-utils): the operator is still working on the token. */
    static final String RECONCILING = "Reconciling";
    /** kstatus: the token cannot progress until a person changes something. */
    static final String STALLED = "Stalled";

    private Conditions() {
    }

    static List<Condition> set(List<Condition> conditions, String type, boolean status, Reason reason,
                               String message, Long generation, Instant now) {
        List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
        String statusText = status ? "True" : "False";
        Condition old = find(out, type);
        String transition = old != null && statusText.equals(old.getStatus()) ? old.getLastTransitionTime()
                : now.toString();
        Condition updated = new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason.name())
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
        if (old == null) {
            out.add(updated);
        } else {
            out.set(out.indexOf(old), updated);
        }
        return out;
    }

    /**
     * The kstatus conditions for a Ready condition of {@code readyReason}: {@code Stalled} and {@code Reconciling}
     * follow {@link Reason#stalls()} and {@link Reason#reconciles()}, with the Ready condition's reason and message
     * when True. Kept (False) rather than removed, so their transition times say since when the token is fine.
     */
    static List<Condition> progress(List<Condition> conditions, Reason readyReason, String message, Long generation,
                                    Instant now) {
        List<Condition> c = set(conditions, RECONCILING, readyReason.reconciles(), readyReason,
                readyReason.reconciles() ? message : "nothing left to do until the token or its policies change",
                generation, now);
        return set(c, STALLED, readyReason.stalls(), readyReason,
                readyReason.stalls() ? message : "nothing waits for a person to change the token", generation, now);
    }

    static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst().orElse(null);
    }
}
