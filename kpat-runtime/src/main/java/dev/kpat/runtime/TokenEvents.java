package dev.kpat.runtime;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.logging.TokenMdc;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a PersonalAccessToken, one per lifecycle transition. Messages name token ids and hints,
 * never values. Like client-go's recorder, each Event names who reports it ({@link EventReporter}), and the same
 * Event again (same token, type, reason and message) bumps the stored one's {@code count} and {@code lastTimestamp}
 * instead of adding an object ({@link RepeatedEvents}). Failing to record an Event never fails a reconcile.
 */
public class TokenEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEvents.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final EventReporter reporter;
    private final RepeatedEvents recent;

    public TokenEvents(KubernetesClient client, Clock clock, EventReporter reporter) {
        this(client, clock, reporter, RepeatedEvents.DEFAULT_CAPACITY);
    }

    TokenEvents(KubernetesClient client, Clock clock, EventReporter reporter, int remembered) {
        this.client = client;
        this.clock = clock;
        this.reporter = reporter;
        this.recent = new RepeatedEvents(remembered);
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
        RepeatedEvents.Key key = new RepeatedEvents.Key(ns, pat.getMetadata().getUid(), type, reason, message);
        try {
            RepeatedEvents.Seen seen = recent.get(key);
            if (seen != null && bump(ns, seen, now)) {
                recent.put(key, new RepeatedEvents.Seen(seen.name(), seen.count() + 1, seen.firstTimestamp()));
                return;
            }
            Event created = client.v1().events().inNamespace(ns).resource(event(pat, type, reason, message, now))
                    .create();
            recent.put(key, new RepeatedEvents.Seen(created.getMetadata().getName(), 1, now));
        } catch (KubernetesClientException e) {
            recent.remove(key);
            if (TerminatingNamespaces.refusedFor(e)) {
                LOG.debug("no Event {} on {}/{}: its namespace is being deleted", reason, ns,
                        pat.getMetadata().getName());
                return;
            }
            LOG.warn("could not record Event {} on {}/{}: {}", reason, ns, pat.getMetadata().getName(), e.getMessage());
        }
    }

    /** The stored Event once more; false when it is gone (Events expire, an hour by default): create a new one. */
    private boolean bump(String ns, RepeatedEvents.Seen seen, String now) {
        try {
            // the item itself is the merge patch: no read first (the chart grants create and patch, not get)
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(seen.name()).withNamespace(ns).endMetadata()
                    .withCount(seen.count() + 1)
                    .withLastTimestamp(now)
                    .build()).patch(PatchContext.of(PatchType.JSON_MERGE));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private Event event(PersonalAccessToken pat, String type, String reason, String message, String now) {
        String ns = pat.getMetadata().getNamespace();
        return new EventBuilder()
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
                .withNewSource().withComponent(reporter.component()).endSource()
                .withReportingComponent(reporter.controller())
                .withReportingInstance(reporter.instance())
                .build();
    }
}
