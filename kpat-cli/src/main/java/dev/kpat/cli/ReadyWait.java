package dev.kpat.cli;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.Phase;
import dev.kpat.token.Durations;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Waits for the operator to issue a new token: Ready=True for the current generation, and its Secret holding the
 * value the status names. Progress goes to {@code err}: each state the token passes through, and a line every
 * {@link #TICK} while nothing changes. Stops early at a failure only a person can fix.
 */
final class ReadyWait {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TICK = Duration.ofSeconds(10);
    /** Ready=False reasons no amount of waiting fixes. */
    private static final Set<String> STUCK = Set.of("InvalidSpec", "PolicyViolation", "SecretConflict",
            "OwnerDeleted", "RevokedOnReuse", "Revoked", "Expired");

    /** The issued value, and the Secret it is in. */
    record Issued(TokenValue value, String secretName) {
    }

    private final KubernetesClient client;
    private final PrintWriter err;
    private final Clock clock;

    ReadyWait(KubernetesClient client, PrintWriter err, Clock clock) {
        this.client = client;
        this.err = err;
        this.clock = clock;
    }

    Issued await(String namespace, String name, Duration limit) {
        Instant start = clock.instant();
        Instant deadline = start.plus(limit);
        Instant nextTick = start.plus(TICK);
        err.println("waiting for the operator to issue it (up to " + Durations.format(limit) + ")");
        err.flush();
        String shown = null;
        while (true) {
            PersonalAccessToken pat = client.resources(PersonalAccessToken.class).inNamespace(namespace)
                    .withName(name).get();
            if (pat == null) {
                throw TokenPatch.notFound(namespace, name);
            }
            String state = describe(pat);
            if (!Objects.equals(state, shown)) {
                err.println("  " + state);
                err.flush();
                shown = state;
            }
            Condition ready = TokenConditions.find(pat, TokenConditions.READY);
            if (current(pat) && ready != null && "True".equals(ready.getStatus())) {
                Issued issued = readSecret(pat);
                if (issued != null) {
                    err.println("Ready: " + pat.getStatus().getTokenHint() + " (" + pat.getStatus().getTokenId()
                            + ")" + (pat.getStatus().getExpiresAt() == null ? ", never expires"
                            : ", expires " + pat.getStatus().getExpiresAt()));
                    return issued;
                }
            } else if (current(pat) && ready != null && (STUCK.contains(ready.getReason())
                    || pat.getStatus().getPhase() == Phase.Failed)) {
                throw notReady(pat, "personalaccesstoken \"" + name + "\" cannot be issued: " + ready.getReason()
                        + ": " + ready.getMessage());
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw notReady(pat, "personalaccesstoken \"" + name + "\" is not Ready after "
                        + Durations.format(limit) + " (" + state + ")");
            }
            if (!now.isBefore(nextTick)) {
                err.println("  still waiting (" + Durations.format(Duration.between(start, now).withNanos(0)) + ")");
                err.flush();
                nextTick = now.plus(TICK);
            }
            sleep();
        }
    }

    /** The status speaks of the spec as it is now. */
    private static boolean current(PersonalAccessToken pat) {
        return pat.getStatus() != null && Objects.equals(pat.getStatus().getObservedGeneration(),
                pat.getMetadata().getGeneration());
    }

    private static String describe(PersonalAccessToken pat) {
        if (!current(pat)) {
            return "not seen by the operator yet";
        }
        Condition ready = TokenConditions.find(pat, TokenConditions.READY);
        String phase = pat.getStatus().getPhase() == null ? "no phase" : pat.getStatus().getPhase().name();
        return ready == null ? phase : phase + ", Ready=" + ready.getStatus() + " (" + ready.getReason() + ")";
    }

    /** The value, once the Secret holds the one the status names. */
    private Issued readSecret(PersonalAccessToken pat) {
        String secretName = pat.getStatus().getSecretName() == null ? pat.secretName()
                : pat.getStatus().getSecretName();
        Secret s = client.secrets().inNamespace(pat.getMetadata().getNamespace()).withName(secretName).get();
        if (s == null || s.getData() == null || s.getData().get(Labels.SECRET_KEY) == null
                || s.getMetadata().getAnnotations() == null || !Objects.equals(pat.getStatus().getTokenId(),
                s.getMetadata().getAnnotations().get(Labels.TOKEN_ID_ANNOTATION))) {
            return null;
        }
        String value = new String(Base64.getDecoder().decode(s.getData().get(Labels.SECRET_KEY)),
                StandardCharsets.UTF_8);
        return new Issued(TokenValue.of(value), secretName);
    }

    /** The failure, followed by what to do about it. */
    private PatFailure notReady(PersonalAccessToken pat, String message) {
        Condition ready = TokenConditions.find(pat, TokenConditions.READY);
        String hint = ready == null ? null : NextSteps.hint(ready.getReason(), pat).orElse(null);
        return new PatFailure(PatExit.NOT_READY, message + (hint == null ? "" : "\nhint: " + hint));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PatFailure(PatExit.NOT_READY, "interrupted while waiting");
        }
    }
}
