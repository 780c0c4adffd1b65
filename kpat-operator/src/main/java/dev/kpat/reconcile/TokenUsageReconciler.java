package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the usage verifiers write to a token's current TokenRecord (last use, count, client addresses) into the
 * token's status, where {@code kubectl get pat} shows it. A usage write is not a lifecycle event: it costs a patch of
 * those three fields, not a reconcile of the token, and {@link KpatOperator} rate-limits it to once per flush
 * interval and record (the first at once, later ones at the end of the interval).
 */
@ControllerConfiguration(name = "tokenrecord-usage", generationAwareEventProcessing = false)
public class TokenUsageReconciler implements Reconciler<TokenRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TokenUsageReconciler.class);

    private final KubernetesClient client;

    public TokenUsageReconciler(KubernetesClient client) {
        this.client = client;
    }

    /** Only changes of usage are its events; everything else reaches the token's own reconcile. */
    static boolean usageChanged(TokenRecord updated, TokenRecord old) {
        return !Objects.equals(usage(updated.getStatus()), usage(old.getStatus()));
    }

    @Override
    public UpdateControl<TokenRecord> reconcile(TokenRecord record, Context<TokenRecord> ctx) {
        var ref = record.getSpec() == null ? null : record.getSpec().getTokenRef();
        if (ref == null || record.getStatus() == null) {
            return UpdateControl.noUpdate();
        }
        // one JSON patch, no read first: its tests make it apply only to the token the record belongs to while its
        // status still names this record (else 422); usage the token already shows makes it a no-op
        // the token is given by name as an item: a patch by name alone would have the client read it first
        PersonalAccessToken named = new PersonalAccessToken();
        named.setMetadata(new ObjectMetaBuilder().withNamespace(ref.getNamespace()).withName(ref.getName()).build());
        String id = record.getMetadata().getName();
        try {
            client.resource(named).subresource("status").patch(PatchContext.of(PatchType.JSON),
                    patch(ref.getUid(), id, record.getStatus()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
            // gone, or moved on to another value meanwhile: its own reconcile mirrors the new one
            LOG.debug("usage of {} not mirrored (HTTP {})", id, e.getCode());
        }
        return UpdateControl.noUpdate();
    }

    /** A JSON patch of the usage fields, only of the token by this uid and while its status names this record. */
    private static String patch(String uid, String id, TokenRecordStatus usage) {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(Map.of("op", "test", "path", "/metadata/uid", "value", uid));
        ops.add(Map.of("op", "test", "path", "/status/tokenId", "value", id));
        if (usage.getLastUsedAt() != null) {
            ops.add(Map.of("op", "add", "path", "/status/lastUsedAt", "value", usage.getLastUsedAt()));
        }
        if (usage.getUsageCount() != null) {
            ops.add(Map.of("op", "add", "path", "/status/usageCount", "value", usage.getUsageCount()));
        }
        if (usage.getRecentClientIPs() != null) {
            ops.add(Map.of("op", "add", "path", "/status/recentClientIPs", "value", usage.getRecentClientIPs()));
        }
        return Serialization.asJson(ops);
    }

    private static List<Object> usage(TokenRecordStatus s) {
        return s == null ? List.of() : java.util.Arrays.asList(s.getLastUsedAt(), s.getUsageCount(),
                s.getRecentClientIPs());
    }
}
