package dev.kpat.runtime;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.logging.TokenMdc;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a PersonalAccessToken, one per lifecycle transition. Messages name token ids and hints,
 * never values. Failing to record an Event never fails a reconcile.
 */
public class TokenEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEvents.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final String component;

    public TokenEvents(KubernetesClient client, Clock clock) {
        this(client, clock, "kpat-operator");
    }

    /** @param component who reports the Events: {@code kpat-operator} or {@code kpat-verifier} */
    public TokenEvents(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.component = component;
    }

    public void normal(PersonalAccessToken pat, String reason, String message) {
        record(pat, "Normal", reason, message);
    }

    public void warning(PersonalAccessToken pat, String reason, String message) {
        record(pat, "Warning", reason, message);
    }

    private void record(PersonalAccessToken pat, String type, String reason, String message) {
        String ns = pat.getMetadata().getNamespace();
        String now = clock.instant().toString();
        // the token id, where known, is set by the caller: a status may still name the value being replaced
        try (TokenMdc mdc = TokenMdc.of(ns, pat.getMetadata().getName(), null)) {
            LOG.info("{} {}/{}: {}", reason, ns, pat.getMetadata().getName(), message);
        }
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata()
                    .withGenerateName(pat.getMetadata().getName() + ".")
                    .withNamespace(ns)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(pat.getApiVersion())
                            .withKind(pat.getKind())
                            .withNamespace(ns)
                            .withName(pat.getMetadata().getName())
                            .withUid(pat.getMetadata().getUid())
                            .withResourceVersion(pat.getMetadata().getResourceVersion())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (TerminatingNamespaces.refusedFor(e)) {
                LOG.debug("no Event {} on {}/{}: its namespace is being deleted", reason, ns,
                        pat.getMetadata().getName());
                return;
            }
            LOG.warn("could not record Event {} on {}/{}: {}", reason, ns, pat.getMetadata().getName(), e.getMessage());
        }
    }
}
