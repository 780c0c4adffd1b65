package dev.kpat.reconcile;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.LifecyclePlanner;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Reconciles a PersonalAccessToken into its TokenRecord and Secret, in four steps: the {@link TokenObserver} gathers
 * what is there, the pure {@link LifecyclePlanner} decides, the {@link TokenActor} writes in a crash-safe order, and
 * the {@link TokenStatusRecorder} and {@link TokenEffects} (Events, metrics, workload restarts) report it.
 * Not generation-aware: the {@code kpat.dev/rotate} annotation and Secret edits must trigger it too.
 */
@ControllerConfiguration(name = "personalaccesstoken", generationAwareEventProcessing = false,
        finalizerName = Labels.FINALIZER)
public class PersonalAccessTokenReconciler implements Reconciler<PersonalAccessToken>, Cleaner<PersonalAccessToken> {
    private final OperatorSettings settings;
    private final Clock clock;
    private final TokenCaches caches;
    private final TokenObserver observer;
    private final TokenActor actor;
    private final TokenEffects effects;

    PersonalAccessTokenReconciler(OperatorSettings settings, Clock clock, TokenCaches caches, TokenObserver observer,
                                  TokenActor actor, TokenEffects effects) {
        this.settings = settings;
        this.clock = clock;
        this.caches = caches;
        this.observer = observer;
        this.actor = actor;
        this.effects = effects;
    }

    @Override
    public List<EventSource<?, PersonalAccessToken>> prepareEventSources(
            EventSourceContext<PersonalAccessToken> context) {
        return caches.prepare(context);
    }

    @Override
    public UpdateControl<PersonalAccessToken> reconcile(PersonalAccessToken pat, Context<PersonalAccessToken> ctx) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Observation seen = observer.fromCache(pat);
        TokenDecision decision = seen == null ? null : LifecyclePlanner.plan(seen.facts(), settings, now);
        if (seen == null || !TokenObserver.suffices(seen, decision)) {
            seen = observer.observe(pat);
            decision = LifecyclePlanner.plan(seen.facts(), settings, now);
        }
        if (decision instanceof TokenDecision.Confirm) {
            seen = observer.confirm(seen);
            decision = LifecyclePlanner.plan(seen.facts(), settings, now);
        }
        Applied applied = actor.apply(seen, decision, now);
        if (applied.conflict()) {
            decision = LifecyclePlanner.secretConflict(seen.facts());
        }
        UpdateControl<PersonalAccessToken> update = TokenStatusRecorder.record(pat, decision, applied, now);
        effects.after(pat, decision, applied);
        return update;
    }

    @Override
    public DeleteControl cleanup(PersonalAccessToken pat, Context<PersonalAccessToken> ctx) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        effects.forget(pat, actor.revokeAllAndDeleteSecret(pat, now, Reason.Deleted));
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<PersonalAccessToken> updateErrorStatus(PersonalAccessToken pat,
                                                                          Context<PersonalAccessToken> ctx,
                                                                          Exception e) {
        pat.setStatus(TokenStatusRecorder.error(pat, e, clock.instant()));
        return ErrorStatusUpdateControl.patchStatus(pat);
    }
}
