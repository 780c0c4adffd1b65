package dev.kpat.cli;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.TokenRecord;
import dev.kpat.cli.TokenStatusReport.ConditionView;
import dev.kpat.cli.TokenStatusReport.EventView;
import dev.kpat.cli.TokenStatusReport.NextStep;
import dev.kpat.cli.TokenStatusReport.RecordView;
import dev.kpat.cli.TokenStatusReport.SecretView;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Gathers a {@link TokenStatusReport} from the API. Only the token itself is required: records (cluster-scoped),
 * the Secret and Events may be beyond the caller's RBAC, and are then listed as not shown instead of failing.
 */
final class TokenStatusReader {
    static final int EVENTS = 10;

    private final KubernetesClient client;
    private final Instant now;
    private final List<String> notShown = new ArrayList<>();

    TokenStatusReader(KubernetesClient client, Instant now) {
        this.client = client;
        this.now = now;
    }

    TokenStatusReport read(String namespace, String name) {
        PersonalAccessToken pat = client.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name)
                .get();
        if (pat == null) {
            throw TokenPatch.notFound(namespace, name);
        }
        PersonalAccessTokenStatus st = pat.getStatus() == null ? new PersonalAccessTokenStatus() : pat.getStatus();
        var ready = TokenConditions.find(pat, TokenConditions.READY);
        List<EventView> events = optional("Events", () -> events(pat));
        return new TokenStatusReport(namespace, name, pat.getMetadata().getUid(), pat.getSpec().getOwner(),
                pat.getSpec().getDescription(), pat.getSpec().getScopes(),
                st.getPhase() == null ? null : st.getPhase().name(),
                ready == null ? null : ready.getStatus(), ready == null ? null : ready.getReason(),
                ready == null ? null : ready.getMessage(), st.getTokenId(), st.getTokenHint(), st.getRevision(),
                st.getIssuedAt(), st.getExpiresAt(), st.getRenewalTime(), st.getRevokedAt(), st.getLastUsedAt(),
                st.getUsageCount(), conditions(pat), optional("TokenRecords", () -> records(pat)),
                optional("Secret", () -> secret(pat)), events, nextSteps(pat, events),
                notShown.isEmpty() ? null : List.copyOf(notShown));
    }

    /** A part the caller may not be allowed to read: null, and a note why, when the API refuses it. */
    private <T> T optional(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401 || e.getCode() == 403) {
                notShown.add(what + ": forbidden (HTTP " + e.getCode() + ") for the credentials in use");
                return null;
            }
            throw e;
        }
    }

    private static List<ConditionView> conditions(PersonalAccessToken pat) {
        return TokenConditions.of(pat).stream().map(c -> new ConditionView(c.getType(), c.getStatus(),
                c.getReason(), c.getMessage(), c.getLastTransitionTime())).toList();
    }

    private List<RecordView> records(PersonalAccessToken pat) {
        String current = pat.getStatus() == null ? null : pat.getStatus().getTokenId();
        // the current value first, then the others newest first
        return client.resources(TokenRecord.class).withLabel(Labels.PAT_UID, pat.getMetadata().getUid()).list()
                .getItems().stream()
                .sorted(Comparator.comparing((TokenRecord r) -> !r.getMetadata().getName().equals(current))
                        .thenComparing(Comparator.comparing(
                                (TokenRecord r) -> Objects.toString(r.getSpec().getIssuedAt(), "")).reversed()))
                .map(r -> record(r, current)).toList();
    }

    private RecordView record(TokenRecord r, String currentId) {
        var spec = r.getSpec();
        var status = r.getStatus();
        boolean current = r.getMetadata().getName().equals(currentId);
        return new RecordView(r.getMetadata().getName(), state(r, current), current, spec.getIssuedAt(),
                spec.getExpiresAt(), spec.getValidUntil(), spec.getRevokedAt(), spec.getRevocationReason(),
                spec.getBlockedBy(), status == null ? null : status.getUsageCount(),
                status == null ? null : status.getLastUsedAt(), status == null ? null : status.getReuseDetectedAt());
    }

    private String state(TokenRecord r, boolean current) {
        var spec = r.getSpec();
        if (spec.pending()) {
            return "Pending";
        }
        if (spec.getRevokedAt() != null) {
            return "Revoked";
        }
        if (spec.getBlockedBy() != null) {
            return "Blocked";
        }
        if (spec.getExpiresAt() != null && !now.isBefore(Instant.parse(spec.getExpiresAt()))) {
            return "Expired";
        }
        if (current) {
            return "Current";
        }
        return spec.getValidUntil() != null && now.isBefore(Instant.parse(spec.getValidUntil())) ? "Grace"
                : "Superseded";
    }

    private SecretView secret(PersonalAccessToken pat) {
        String name = pat.getStatus() != null && pat.getStatus().getSecretName() != null
                ? pat.getStatus().getSecretName() : pat.secretName();
        Secret s = client.secrets().inNamespace(pat.getMetadata().getNamespace()).withName(name).get();
        if (s == null) {
            return null;
        }
        Map<String, String> annotations = s.getMetadata().getAnnotations() == null ? Map.of()
                : s.getMetadata().getAnnotations();
        String tokenId = annotations.get(Labels.TOKEN_ID_ANNOTATION);
        boolean owned = s.getMetadata().getOwnerReferences() != null && s.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Objects.equals(o.getUid(), pat.getMetadata().getUid()));
        List<String> keys = s.getData() == null ? List.of() : s.getData().keySet().stream().sorted().toList();
        return new SecretView(name, s.getType(), s.getMetadata().getCreationTimestamp(), tokenId,
                annotations.get(Labels.EXPIRES_AT_ANNOTATION),
                tokenId != null && tokenId.equals(pat.getStatus() == null ? null : pat.getStatus().getTokenId()),
                owned, keys);
    }

    /** The latest Events about this token (this uid: not a deleted namesake's), newest first. */
    private List<EventView> events(PersonalAccessToken pat) {
        return client.v1().events().inNamespace(pat.getMetadata().getNamespace())
                .withField("involvedObject.name", pat.getMetadata().getName()).list().getItems().stream()
                .filter(e -> "PersonalAccessToken".equals(e.getInvolvedObject().getKind())
                        && Objects.equals(pat.getMetadata().getUid(), e.getInvolvedObject().getUid()))
                .sorted(Comparator.comparing(TokenStatusReader::lastSeen).reversed())
                .limit(EVENTS)
                .map(e -> new EventView(lastSeen(e), e.getType(), e.getReason(), from(e), e.getCount(),
                        e.getMessage()))
                .toList();
    }

    private static String lastSeen(Event e) {
        for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null
                : e.getEventTime().getTime(), e.getFirstTimestamp(), e.getMetadata().getCreationTimestamp()}) {
            if (t != null && !t.isEmpty()) {
                return t;
            }
        }
        return "";
    }

    private static String from(Event e) {
        if (e.getReportingComponent() != null && !e.getReportingComponent().isEmpty()) {
            return e.getReportingComponent();
        }
        return e.getSource() == null ? null : e.getSource().getComponent();
    }

    /** One hint per reason: problem conditions first, then warning Events (deduplicated). */
    private static List<NextStep> nextSteps(PersonalAccessToken pat, List<EventView> events) {
        Map<String, String> steps = new LinkedHashMap<>();
        TokenConditions.of(pat).stream().filter(TokenConditions::isProblem)
                .forEach(c -> NextSteps.hint(c.getReason(), pat).ifPresent(h -> steps.putIfAbsent(c.getReason(), h)));
        if (events != null) {
            // a condition's own warning Event outlives the condition: only reasons no condition carries
            events.stream().filter(e -> "Warning".equals(e.type()) && NextSteps.EVENT_REASONS.contains(e.reason()))
                    .forEach(e -> NextSteps.hint(e.reason(), pat).ifPresent(h -> steps.putIfAbsent(e.reason(), h)));
        }
        return steps.entrySet().stream().map(e -> new NextStep(e.getKey(), e.getValue())).toList();
    }
}
