package dev.kpat.reconcile;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.LifecyclePlanner;
import dev.kpat.lifecycle.LifecyclePlanner.Decision;
import dev.kpat.lifecycle.ObservedToken;
import dev.kpat.lifecycle.ObservedToken.RecordState;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.lifecycle.OwnerBinding;
import dev.kpat.api.RevocationReason;
import dev.kpat.policy.PolicyChain;
import dev.kpat.lifecycle.SpecValidator;
import dev.kpat.lifecycle.TokenPlan;
import dev.kpat.logging.TokenMdc;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyViolation;
import java.util.stream.Collectors;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.token.TokenHash;
import dev.kpat.token.TokenId;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reconciles a PersonalAccessToken into its TokenRecord and Secret. Decisions come from the pure
 * {@link LifecyclePlanner}; this class observes, applies the decision in a crash-safe order and writes status.
 * Not generation-aware: the {@code kpat.dev/rotate} annotation and Secret edits must trigger it too.
 */
@ControllerConfiguration(name = "personalaccesstoken", generationAwareEventProcessing = false)
public class PersonalAccessTokenReconciler implements Reconciler<PersonalAccessToken>, Cleaner<PersonalAccessToken> {
    private final OperatorSettings settings;
    private final Clock clock;
    private final TokenSecrets secrets;
    private final TokenRecords records;
    private final TokenEvents events;
    private final TokenIssuer issuer;
    private final WorkloadRestarter restarter;
    private final TokenMetrics metrics;
    private final KubernetesClient client;
    private final TerminatingNamespaces terminating;
    private TokenPolicies tokenPolicies;
    private TokenHolds holds;
    /** The token id each PAT (by uid) was last announced for by this process: what a crash forgets. */
    private final Map<String, String> announced = new java.util.concurrent.ConcurrentHashMap<>();
    /** All TokenRecords, indexed by the uid of their PAT: finds a token's older records without an API call. */
    private InformerEventSource<TokenRecord, PersonalAccessToken> recordCache;
    private static final String PAT_UID_INDEX = "pat-uid";

    public PersonalAccessTokenReconciler(KubernetesClient client, OperatorSettings settings, Clock clock,
                                         SecureRandom random, TokenMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.secrets = new TokenSecrets(client);
        this.records = new TokenRecords(client);
        this.events = new TokenEvents(client, clock);
        this.issuer = new TokenIssuer(random, new TokenId(random), records, secrets);
        this.restarter = new WorkloadRestarter(client);
        this.client = client;
        this.terminating = new TerminatingNamespaces(client);
    }

    @Override
    public List<EventSource<?, PersonalAccessToken>> prepareEventSources(
            EventSourceContext<PersonalAccessToken> context) {
        // only kpat's own Secrets are cached; the mapping is by the token-name annotation (the label may be a
        // shortened form of a long name), so no owner-reference lookup is needed
        var secretSource = InformerEventSourceConfiguration.from(Secret.class, PersonalAccessToken.class)
                .withName("token-secrets")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
                .withSecondaryToPrimaryMapper(s -> {
                    String name = TokenSecrets.patNameOf(s);
                    return name == null ? Set.of() : Set.of(new ResourceID(name, s.getMetadata().getNamespace()));
                })
                .build();
        // record changes (usage written by verifiers, edits by hand) flow back into the PAT's status. A pending
        // record coming and going is the operator's own issue step: were it an event, an issue the API keeps
        // refusing (its pending record created, then taken back) would re-trigger itself at once, for ever, past
        // the retry backoff. A pending record a crash left behind is found by the next reconcile anyway.
        var recordSource = InformerEventSourceConfiguration.from(TokenRecord.class, PersonalAccessToken.class)
                .withName("token-records")
                // cluster-scoped: watched whole even when the operator watches only some namespaces
                .withWatchAllNamespaces()
                .withOnAddFilter(r -> !isPending(r))
                .withOnDeleteFilter((r, finalStateUnknown) -> !isPending(r))
                .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().getTokenRef() == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().getTokenRef().getName(),
                        r.getSpec().getTokenRef().getNamespace())))
                .build();
        tokenPolicies = new TokenPolicies(client, settings, context);
        ServiceAccountOwners owners = new ServiceAccountOwners(client, context);
        holds = new TokenHolds(owners, records, metrics);
        recordCache = new InformerEventSource<>(recordSource, context);
        recordCache.addIndexers(Map.of(PAT_UID_INDEX, r -> r.getSpec() == null || r.getSpec().getTokenRef() == null
                ? List.of() : List.of(r.getSpec().getTokenRef().getUid())));
        List<EventSource<?, PersonalAccessToken>> all = new java.util.ArrayList<>(List.of(
                new InformerEventSource<>(secretSource, context), recordCache));
        all.addAll(tokenPolicies.eventSources());
        all.add(owners.eventSource());
        return all;
    }

    @Override
    public UpdateControl<PersonalAccessToken> reconcile(PersonalAccessToken pat, Context<PersonalAccessToken> ctx) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (isRevoked(pat)) {
            return revoke(pat, now);
        }
        // the owner first: a deleted ServiceAccount's values are revoked whatever else is wrong with the token
        boolean rotationRequested = rotationRequested(pat);
        OwnerBinding.Decision owner = holds.owner(pat, rotationRequested);
        TokenHolds.Hold ownerHold = holds.ownerHold(pat, owner, now);
        if (ownerHold != null) {
            return held(pat, ownerHold, now);
        }
        List<AppliedPolicy> applied = tokenPolicies.applicable(pat);
        SpecValidator.Result validation = SpecValidator.validate(tokenPolicies.specInput(pat, applied, now,
                issuedAt(pat)));
        if (!validation.valid()) {
            return blocked(pat, Phase.Failed, TokenStatusWriter.REASON_INVALID_SPEC, validation.message(), now);
        }
        TokenPlan plan = PolicyChain.requiresRevokeOnReuse(applied) ? validation.plan().withRevokeOnReuse()
                : validation.plan();
        List<PolicyViolation> violations = tokenPolicies.violations(pat, applied, plan, issuedAt(pat), now);
        if (!violations.isEmpty()) {
            return policyBlocked(pat, violations, now);
        }
        String prefix = tokenPolicies.prefix(applied);
        // the Secret and the record it names are read from the API; older records may come from the cache, since
        // retiring them is idempotent and a record the cache has not seen yet is retired on its own add event
        Secret secret = secrets.get(pat);
        List<TokenRecord> all = recordCache.byIndex(PAT_UID_INDEX, pat.getMetadata().getUid());
        TokenValue secretValue = secret == null ? null : TokenSecrets.valueOf(secret);
        TokenRecord named = secret == null ? null : recordOf(pat, TokenSecrets.tokenIdOf(secret));
        ObservedToken observed = observe(pat, secret, secretValue, named);
        TokenRecord last = named != null ? named : secret == null ? lastIssued(pat) : null;
        TokenHolds.Hold hold = rotationRequested ? null : holds.standing(pat, last);
        if (hold == null && observed.record() == RecordState.ACTIVE) {
            hold = holds.reuse(pat, plan.revokeOnReuse(), named, all, now);
        }
        if (hold != null) {
            return held(pat, hold, now);
        }
        Decision decision = LifecyclePlanner.decide(plan, observed, now);

        TokenRecord current;
        String hint = secretValue == null ? null : secretValue.hint();
        String readyReason = readyReason(pat);
        switch (decision.step()) {
            case CONFLICT -> {
                return blocked(pat, TokenStatusWriter.phaseWhileBlocked(pat), TokenStatusWriter.REASON_SECRET_CONFLICT,
                        "Secret " + pat.secretName() + " exists and is not managed by kpat for this token;"
                                + " delete it or set spec.secretName", now);
            }
            case ISSUE -> {
                if (terminating.isTerminating(pat.getMetadata().getNamespace())) {
                    // nothing can be created there; the namespace controller deletes the token next
                    return UpdateControl.noUpdate();
                }
                Secret managed = observed.secret() == SecretState.ABSENT ? null : secret;
                TokenIssuer.Issued issued = issuer.issue(pat, plan, managed, decision.reason(), now, prefix,
                        owner.uid());
                if (issued.conflict()) {
                    return blocked(pat, TokenStatusWriter.phaseWhileBlocked(pat),
                            TokenStatusWriter.REASON_SECRET_CONFLICT, "Secret " + pat.secretName()
                                    + " exists and is not managed by kpat for this token", now);
                }
                current = issued.record();
                hint = issued.value().hint();
                readyReason = announce(pat, decision.reason(), current, hint);
            }
            case ACTIVATE -> {
                current = records.activate(named);
                readyReason = announce(pat, decision.reason(), current, hint);
            }
            default -> {
                current = named;
                if (!reportedInStatus(pat, current)
                        && !current.getMetadata().getName().equals(announced.get(pat.getMetadata().getUid()))) {
                    // the process that issued this value died after activating it, before status named it: its
                    // Event, metric and workload restarts are still owed
                    readyReason = announce(pat, issueReasonOf(current), current, hint);
                }
            }
        }
        retirePrevious(all, current, now, plan);
        current = records.sync(current, plan, owner.uid());
        if (decision.step() != LifecyclePlanner.Step.ISSUE) {
            secrets.annotateExpiry(secret, plan.expiryFor(Instant.parse(current.getSpec().getIssuedAt())));
        }
        PersonalAccessTokenStatus status = TokenStatusWriter.live(pat, current, hint, plan, readyReason, now);
        status.setOwnerUid(owner.uid());
        if (status.getPhase() == Phase.Expired && (pat.getStatus() == null
                || pat.getStatus().getPhase() != Phase.Expired)) {
            events.normal(pat, "Expired", "token " + current.getMetadata().getName() + " expired at "
                    + status.getExpiresAt());
        }
        Duration wakeUp = LifecyclePlanner.nextWakeUp(plan, Instant.parse(current.getSpec().getIssuedAt()), now);
        return StatusWrites.wakeUpAfter(withStatus(pat, status), wakeUp);
    }

    @Override
    public DeleteControl cleanup(PersonalAccessToken pat, Context<PersonalAccessToken> ctx) {
        revokeAllAndDeleteSecret(pat, clock.instant().truncatedTo(ChronoUnit.MILLIS), RevocationReason.DELETED);
        metrics.forget(pat);
        announced.remove(pat.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<PersonalAccessToken> updateErrorStatus(PersonalAccessToken pat,
                                                                          Context<PersonalAccessToken> ctx,
                                                                          Exception e) {
        // API error texts are summarised, never copied: a request body must not leak into status
        String what = e instanceof KubernetesClientException k ? "Kubernetes API request failed (HTTP " + k.getCode()
                + "); retrying with backoff" : "reconcile failed (" + e.getClass().getSimpleName() + "); retrying";
        pat.setStatus(TokenStatusWriter.notReady(pat, TokenStatusWriter.phaseWhileBlocked(pat),
                TokenStatusWriter.REASON_RECONCILE_ERROR, what, clock.instant()));
        return ErrorStatusUpdateControl.patchStatus(pat);
    }

    /**
     * A token that breaks a policy is not issued; one already issued is blocked (verifiers reject it) but not
     * revoked, so loosening the policy brings it back.
     */
    private UpdateControl<PersonalAccessToken> policyBlocked(PersonalAccessToken pat, List<PolicyViolation> violations,
                                                            Instant now) {
        String message = violations.stream().map(PolicyViolation::toString).collect(Collectors.joining("; "));
        Secret secret = secrets.get(pat);
        TokenRecord current = secret == null || !TokenSecrets.isManagedFor(secret, pat) ? null
                : recordOf(pat, TokenSecrets.tokenIdOf(secret));
        if (current != null && !TokenRecords.isRetired(current)) {
            records.block(current, message);
        }
        return blocked(pat, Phase.Failed, TokenStatusWriter.REASON_POLICY_VIOLATION, message, now);
    }

    /** Revocation is one-way: once status records it, setting spec.revoked back to false changes nothing. */
    private static boolean isRevoked(PersonalAccessToken pat) {
        return (pat.getSpec() != null && pat.getSpec().isRevoked())
                || (pat.getStatus() != null && pat.getStatus().getRevokedAt() != null);
    }

    private UpdateControl<PersonalAccessToken> revoke(PersonalAccessToken pat, Instant now) {
        revokeAllAndDeleteSecret(pat, now, RevocationReason.REVOKED);
        PersonalAccessTokenStatus status = TokenStatusWriter.revoked(pat, now);
        if (pat.getStatus() == null || pat.getStatus().getPhase() != Phase.Revoked) {
            events.normal(pat, "Revoked", "token revoked; Secret " + pat.secretName() + " deleted");
        }
        return withStatus(pat, status);
    }

    private void revokeAllAndDeleteSecret(PersonalAccessToken pat, Instant now, String reason) {
        List<TokenRecord> all = records.listFor(pat);
        for (TokenRecord r : all) {
            if (r.getSpec().pending()) {
                records.delete(r);
            } else if (r.getSpec().getRevokedAt() == null) {
                records.revoke(r, now, reason);
                metrics.revoked(reason);
            }
        }
        // a delete with propagationPolicy=Orphan has the garbage collector strip the owner reference, maybe before
        // this runs: a kpat Secret holding one of this token's values is still this token's to delete
        Secret secret = secrets.get(pat);
        if (secret != null && (TokenSecrets.isManagedFor(secret, pat) || holdsValueOf(secret, all))) {
            secrets.delete(secret);
        }
    }

    private static boolean holdsValueOf(Secret secret, List<TokenRecord> records) {
        var labels = secret.getMetadata().getLabels();
        String id = TokenSecrets.tokenIdOf(secret);
        return labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY)) && id != null
                && records.stream().anyMatch(r -> id.equals(r.getMetadata().getName()));
    }

    /**
     * Every record of the token other than the current one stops authenticating: pending leftovers of an
     * interrupted issue are deleted; active ones get a grace period after a scheduled rotation, else are revoked.
     */
    private void retirePrevious(List<TokenRecord> all, TokenRecord current, Instant now, TokenPlan plan) {
        IssueReason reason = issueReasonOf(current);
        for (TokenRecord r : all) {
            if (r.getMetadata().getName().equals(current.getMetadata().getName()) || TokenRecords.isRetired(r)) {
                continue;
            }
            if (r.getSpec().pending()) {
                records.delete(r);
            } else if (reason.graceForPrevious()) {
                Instant graceEnd = now.plus(plan.gracePeriod());
                Instant expiry = r.getSpec().getExpiresAt() == null ? null : Instant.parse(r.getSpec().getExpiresAt());
                records.supersede(r, expiry != null && expiry.isBefore(graceEnd) ? expiry : graceEnd);
            } else {
                records.revoke(r, now, reason.name());
                metrics.revoked(reason.name());
            }
        }
    }

    private static boolean reportedInStatus(PersonalAccessToken pat, TokenRecord record) {
        return pat.getStatus() != null && record.getMetadata().getName().equals(pat.getStatus().getTokenId());
    }

    private static IssueReason issueReasonOf(TokenRecord record) {
        Map<String, String> annotations = record.getMetadata().getAnnotations();
        return IssueReason.parse(annotations == null ? null : annotations.get(TokenRecords.ISSUE_REASON_ANNOTATION));
    }

    /** Records the Event of a new value and returns the Ready reason it gives. */
    private String announce(PersonalAccessToken pat, IssueReason reason, TokenRecord record, String hint) {
        try (TokenMdc mdc = TokenMdc.of(null, null, record.getMetadata().getName())) {
            return announceValue(pat, reason, record, hint);
        }
    }

    private String announceValue(PersonalAccessToken pat, IssueReason reason, TokenRecord record, String hint) {
        String id = record.getMetadata().getName();
        announced.put(pat.getMetadata().getUid(), id);
        metrics.issued(reason.name());
        if (reason != IssueReason.Issued) {
            List<String> restarted = restarter.restartFor(pat.getMetadata().getNamespace(), pat.secretName(),
                    clock.instant());
            if (!restarted.isEmpty()) {
                events.normal(pat, "WorkloadsRestarted", "restarted " + String.join(", ", restarted)
                        + " to pick up the new value");
            }
        }
        switch (reason) {
            case Issued -> {
                events.normal(pat, "Issued", "issued " + hint + " (" + id + ") into Secret " + pat.secretName());
                return TokenStatusWriter.REASON_ISSUED;
            }
            case Rotated, ManualRotation -> {
                events.normal(pat, "Rotated", (reason == IssueReason.Rotated ? "scheduled rotation" : "rotation requested"
                        + " by " + Labels.ROTATE_ANNOTATION) + ": issued " + hint + " (" + id + ")");
                return TokenStatusWriter.REASON_ROTATED;
            }
            default -> {
                events.warning(pat, "SecretRecreated", (reason == IssueReason.SecretDeleted ? "Secret was deleted"
                        : "Secret's token was edited or removed") + ": previous value revoked, issued " + hint
                        + " (" + id + ")");
                return TokenStatusWriter.REASON_ISSUED;
            }
        }
    }

    private String readyReason(PersonalAccessToken pat) {
        String reason = pat.getStatus() == null ? null : Conditions.reason(pat.getStatus().getConditions(),
                Conditions.READY);
        return TokenStatusWriter.REASON_ROTATED.equals(reason) ? reason : TokenStatusWriter.REASON_ISSUED;
    }

    /** A token that waits for a person (see {@link TokenHolds}): not ready, nothing issued, no wake-up. */
    private UpdateControl<PersonalAccessToken> held(PersonalAccessToken pat, TokenHolds.Hold hold, Instant now) {
        return blocked(pat, hold.phase(), hold.reason(), hold.message(), now);
    }

    /** Whether a new kpat.dev/rotate value waits to be acted on (before the first issue there is nothing to rotate). */
    private static boolean rotationRequested(PersonalAccessToken pat) {
        boolean everIssued = pat.getStatus() != null && pat.getStatus().getTokenId() != null;
        return everIssued && pat.rotateRequest() != null
                && !pat.rotateRequest().equals(pat.getStatus().getObservedRotateRequest());
    }

    /** The record of the last value issued, as status names it (when the Secret is gone). */
    private TokenRecord lastIssued(PersonalAccessToken pat) {
        return pat.getStatus() == null ? null : recordOf(pat, pat.getStatus().getTokenId());
    }

    private UpdateControl<PersonalAccessToken> blocked(PersonalAccessToken pat, Phase phase, String reason,
                                                       String message, Instant now) {
        var old = pat.getStatus();
        boolean changed = old == null || !Objects.equals(message, messageOf(old));
        if (changed) {
            events.warning(pat, reason, message);
        }
        return withStatus(pat, TokenStatusWriter.notReady(pat, phase, reason, message, now));
    }

    private static String messageOf(PersonalAccessTokenStatus status) {
        var c = Conditions.find(status.getConditions(), Conditions.READY);
        return c == null ? null : c.getMessage();
    }

    /** Patches status only when it changed, so the status write does not trigger an endless chain of reconciles. */
    private UpdateControl<PersonalAccessToken> withStatus(PersonalAccessToken pat, PersonalAccessTokenStatus status) {
        boolean unchanged = pat.getStatus() != null
                && Serialization.asJson(pat.getStatus()).equals(Serialization.asJson(status));
        pat.setStatus(status);
        metrics.observe(pat);
        return unchanged ? UpdateControl.noUpdate() : StatusWrites.patch(pat);
    }

    private static ObservedToken observe(PersonalAccessToken pat, Secret secret, TokenValue value,
                                         TokenRecord named) {
        SecretState secretState;
        if (secret == null) {
            secretState = SecretState.ABSENT;
        } else if (!TokenSecrets.isManagedFor(secret, pat)) {
            secretState = SecretState.FOREIGN;
        } else {
            secretState = value == null ? SecretState.EMPTY : SecretState.PRESENT;
        }
        RecordState recordState;
        if (named == null) {
            recordState = RecordState.MISSING;
        } else if (value == null || !TokenHash.matches(named.getSpec().getHash(), value.hash())) {
            recordState = RecordState.MISMATCH;
        } else if (TokenRecords.isRetired(named)) {
            recordState = RecordState.RETIRED;
        } else {
            recordState = named.getSpec().pending() ? RecordState.PENDING : RecordState.ACTIVE;
        }
        Instant issuedAt = named == null || named.getSpec().getIssuedAt() == null ? null
                : Instant.parse(named.getSpec().getIssuedAt());
        String observedRotate = pat.getStatus() == null ? null : pat.getStatus().getObservedRotateRequest();
        if (named != null && pat.rotateRequest() != null
                && pat.rotateRequest().equals(TokenRecords.rotateRequestOf(named))) {
            // the Secret's value was issued under this very request: a crash kept status from recording it
            observedRotate = pat.rotateRequest();
        }
        boolean everIssued = pat.getStatus() != null && pat.getStatus().getTokenId() != null;
        return new ObservedToken(secretState, recordState, issuedAt, named == null ? null : issueReasonOf(named),
                everIssued, pat.rotateRequest(), everIssued ? observedRotate : pat.rotateRequest());
    }

    private static boolean isPending(TokenRecord record) {
        return record.getSpec() != null && record.getSpec().pending();
    }

    /** The record by that id, if it was issued for this very PAT (by uid). */
    private TokenRecord recordOf(PersonalAccessToken pat, String tokenId) {
        if (tokenId == null || !TokenId.isValid(tokenId)) {
            return null;
        }
        TokenRecord r = records.get(tokenId);
        boolean ours = r != null && r.getSpec() != null && r.getSpec().getTokenRef() != null
                && pat.getMetadata().getUid().equals(r.getSpec().getTokenRef().getUid());
        return ours ? r : null;
    }

    private static Instant issuedAt(PersonalAccessToken pat) {
        String s = pat.getStatus() == null ? null : pat.getStatus().getIssuedAt();
        return s == null ? null : Instant.parse(s);
    }
}
