package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordStatus;
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
        var token = client.resources(PersonalAccessToken.class).inNamespace(ref.getNamespace())
                .withName(ref.getName());
        PersonalAccessToken pat = token.get();
        String id = record.getMetadata().getName();
        PersonalAccessTokenStatus status = pat == null ? null : pat.getStatus();
        if (status == null || !id.equals(status.getTokenId()) || !pat.getMetadata().getUid().equals(ref.getUid())
                || usage(record.getStatus()).equals(usage(status))) {
            return UpdateControl.noUpdate(); // not the token's current value, or nothing new
        }
        try {
            token.subresource("status").patch(PatchContext.of(PatchType.JSON), patch(id, record.getStatus()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
            // gone, or moved on to another value meanwhile: its own reconcile mirrors the new one
            LOG.debug("usage of {} not mirrored (HTTP {})", id, e.getCode());
        }
        return UpdateControl.noUpdate();
    }

    /** A JSON patch of the usage fields, only while status still names this record. */
    private static String patch(String id, TokenRecordStatus usage) {
        List<Map<String, Object>> ops = new ArrayList<>();
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

    private static List<Object> usage(PersonalAccessTokenStatus s) {
        return java.util.Arrays.asList(s.getLastUsedAt(), s.getUsageCount(), s.getRecentClientIPs());
    }
}
