package dev.kpat.reconcile;

import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps retired TokenRecords (revoked, or superseded by a rotation) as tombstones for audits, then deletes them
 * once the retention has passed. One job, on a timer per record: no sweep over all records.
 */
@ControllerConfiguration(name = "tokenrecord-retention")
public class TokenRecordRetentionReconciler implements Reconciler<TokenRecord> {
    private final KubernetesClient client;
    private final Duration retention;
    private final Clock clock;

    public TokenRecordRetentionReconciler(KubernetesClient client, Duration retention, Clock clock) {
        this.client = client;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public UpdateControl<TokenRecord> reconcile(TokenRecord record, Context<TokenRecord> ctx) {
        Instant retiredAt = retiredAt(record);
        if (retiredAt == null) {
            return UpdateControl.noUpdate();
        }
        Instant removeAt = retiredAt.plus(retention);
        Instant now = clock.instant();
        if (!now.isBefore(removeAt)) {
            client.resources(TokenRecord.class).withName(record.getMetadata().getName()).delete();
            return UpdateControl.noUpdate();
        }
        return UpdateControl.<TokenRecord>noUpdate().rescheduleAfter(Duration.between(now, removeAt));
    }

    /** When the record stopped authenticating: its revocation, or the end of its grace period. */
    static Instant retiredAt(TokenRecord record) {
        var spec = record.getSpec();
        if (spec == null) {
            return null;
        }
        if (spec.getRevokedAt() != null) {
            return Instant.parse(spec.getRevokedAt());
        }
        return spec.getValidUntil() == null ? null : Instant.parse(spec.getValidUntil());
    }
}
