package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRef;
import dev.kpat.lifecycle.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a TokenRecord once its value stops mattering. A live record whose token is gone (its finalizer
 * was removed by hand, e.g. while the operator was not installed, so nothing revoked it) is revoked: a deleted token's
 * value must not keep authenticating. Retired records (revoked, or superseded by a rotation) are kept as tombstones
 * for audits, then deleted once the retention has passed, on a timer per record: no sweep over all records.
 */
@ControllerConfiguration(name = "tokenrecord-retention")
public class TokenRecordRetentionReconciler implements Reconciler<TokenRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRecordRetentionReconciler.class);
    private static final String PAT_UID_INDEX = "pat-uid";

    private final KubernetesClient client;
    private final TokenRecords records;
    private final Duration retention;
    private final Clock clock;
    private final Set<String> watchNamespaces;
    private InformerEventSource<PersonalAccessToken, TokenRecord> tokens;

    /**
     * @param watchNamespaces the namespaces whose tokens the operator reconciles (empty: all); the records of tokens
     *                        elsewhere are not judged
     */
    public TokenRecordRetentionReconciler(KubernetesClient client, Duration retention, Clock clock,
                                          Set<String> watchNamespaces) {
        this.client = client;
        this.records = new TokenRecords(client);
        this.retention = retention;
        this.clock = clock;
        this.watchNamespaces = watchNamespaces;
    }

    @Override
    public List<EventSource<?, TokenRecord>> prepareEventSources(EventSourceContext<TokenRecord> context) {
        context.getPrimaryCache().addIndexers(Map.of(PAT_UID_INDEX, r -> ref(r) == null ? List.of()
                : List.of(ref(r).getUid())));
        // only a token's disappearance concerns its records: its other changes are no event here
        var config = InformerEventSourceConfiguration.from(PersonalAccessToken.class, TokenRecord.class)
                .withName("retention-tokens")
                .withItemStore(LeanStore.tokensForPolicyCounts())
                .withOnAddFilter(t -> false)
                .withOnUpdateFilter((updated, old) -> false)
                .withPrimaryToSecondaryMapper((TokenRecord r) -> ref(r) == null ? Set.of()
                        : Set.of(new ResourceID(ref(r).getName(), ref(r).getNamespace())))
                .withSecondaryToPrimaryMapper(t -> context.getPrimaryCache()
                        .byIndex(PAT_UID_INDEX, t.getMetadata().getUid()).stream().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()));
        if (!watchNamespaces.isEmpty()) {
            config.withNamespaces(watchNamespaces);
        }
        tokens = new InformerEventSource<>(config.build(), context);
        return List.of(tokens);
    }

    @Override
    public UpdateControl<TokenRecord> reconcile(TokenRecord record, Context<TokenRecord> ctx) {
        Instant retiredAt = retiredAt(record);
        if (retiredAt == null) {
            retireIfTokenGone(record);
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

    /**
     * Revokes a live record (deletes a pending one) whose token no longer exists: not in the cache, and not found
     * by that uid when read from the API (the cache may not have seen a new token yet). The revocation's own event
     * brings the record back here, to its retention timer.
     */
    private void retireIfTokenGone(TokenRecord record) {
        TokenRef ref = ref(record);
        if (ref == null || ref.getUid() == null || !watchNamespaces.isEmpty()
                && !watchNamespaces.contains(ref.getNamespace())) {
            return;
        }
        if (tokens.get(new ResourceID(ref.getName(), ref.getNamespace())).filter(t -> sameToken(t, ref))
                .isPresent()) {
            return;
        }
        PersonalAccessToken live = client.resources(PersonalAccessToken.class).inNamespace(ref.getNamespace())
                .withName(ref.getName()).get();
        if (live != null && sameToken(live, ref)) {
            return;
        }
        String id = record.getMetadata().getName();
        if (record.getSpec().pending()) {
            records.delete(id);
            return;
        }
        Instant now = clock.instant();
        TokenRecord revoked = records.revoke(id, now, Reason.Deleted);
        if (!now.toString().equals(revoked.getSpec().getRevokedAt())) {
            return; // revoked already, by the token's own deletion: this cache was behind
        }
        LOG.warn("Revoked record {}: its token {}/{} (uid {}) was deleted without the operator (a finalizer removed"
                + " by hand?)", id, ref.getNamespace(), ref.getName(), ref.getUid());
    }

    private static boolean sameToken(PersonalAccessToken t, TokenRef ref) {
        return ref.getUid().equals(t.getMetadata().getUid());
    }

    private static TokenRef ref(TokenRecord r) {
        return r.getSpec() == null ? null : r.getSpec().getTokenRef();
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
