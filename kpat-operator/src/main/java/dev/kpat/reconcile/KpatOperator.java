package dev.kpat.reconcile;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.runtime.EventReporter;
import dev.kpat.runtime.TokenEvents;
import dev.kpat.runtime.TerminatingNamespaces;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.ReconcileMetrics;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.token.TokenId;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the operator, its composition root: five controllers on one client (tokens, their records' usage, record
 * retention, the status of TokenPolicies and of ClusterTokenPolicies), with the settings and clock given.
 */
public final class KpatOperator {
    private static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(10);

    private KpatOperator() {
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock) {
        return create(client, settings, clock, new TokenMetrics(new SimpleMeterRegistry()));
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock,
                                  TokenMetrics metrics) {
        return create(client, settings, clock, metrics, null);
    }

    /**
     * @param leaderElection null to reconcile at once; else only the replica holding the Lease reconciles, so
     *                       several replicas can run for availability without issuing twice
     */
    public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock,
                                  TokenMetrics metrics, LeaderElectionConfiguration leaderElection) {
        return create(client, settings, clock, metrics, leaderElection, Set.of());
    }

    /**
     * @param watchNamespaces the namespaces whose tokens and policies are reconciled (their Secrets, ServiceAccounts
     *                        and Events too); empty for every namespace. TokenRecords, ClusterTokenPolicies and
     *                        namespaces are cluster-scoped and watched whole; usage is mirrored only from the records
     *                        of watched tokens.
     */
    public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock,
                                  TokenMetrics metrics, LeaderElectionConfiguration leaderElection,
                                  Set<String> watchNamespaces) {
        // Server-side apply is off: status is patched with merge patches, which every API server (and the mock
        // server used in tests and the demo) supports, and spec is never written.
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    .withMetrics(new ReconcileMetrics(metrics.registry()));
            // stopping lets reconciles in flight finish, so the client is not closed under them; a leader waits no
            // longer than its renew deadline, within which the Lease it stops renewing is still its own
            o.withReconciliationTerminationTimeout(leaderElection == null ? RECONCILE_TERMINATION_TIMEOUT
                    : min(RECONCILE_TERMINATION_TIMEOUT, leaderElection.getRenewDeadline()));
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        boolean all = watchNamespaces.isEmpty();
        // a token's status mirrors the usage verifiers write to its record, which is no reason to reconcile it
        operator.register(tokenReconciler(client, settings, clock, metrics), o -> {
            o.withOnUpdateFilter((updated, old) -> !UsageOnlyChanges.of(updated, old))
                    .withItemStore(LeanStore.withoutManagedFields());
            if (!all) {
                o.settingNamespaces(watchNamespaces);
            }
        });
        operator.register(new TokenUsageReconciler(client), o -> {
            o.withRateLimiter(new OncePerInterval(settings.usageRefreshInterval()))
                    .withItemStore(LeanStore.recordsForUsage())
                    .withOnAddFilter(r -> false)
                    .withOnUpdateFilter(TokenUsageReconciler::usageChanged);
            if (!all) {
                // only the records of tokens it may see: usage is mirrored into the token's status
                o.withLabelSelector(Labels.PAT_NAMESPACE + " in (" + watchNamespaces.stream().map(LabelValues::of)
                        .sorted().collect(Collectors.joining(",")) + ")");
            }
        });
        operator.register(new TokenRecordRetentionReconciler(client, settings.recordRetention(), clock,
                        watchNamespaces),
                o -> o.withItemStore(LeanStore.recordsForRetention()));
        operator.register(new TokenPolicyStatusReconciler(clock), o -> {
            if (!all) {
                o.settingNamespaces(watchNamespaces);
            }
        });
        operator.register(new ClusterTokenPolicyStatusReconciler(clock, watchNamespaces));
        return operator;
    }

    /** The token controller, its collaborators wired here. */
    private static PersonalAccessTokenReconciler tokenReconciler(KubernetesClient client, OperatorSettings settings,
                                                                 Clock clock, TokenMetrics metrics) {
        SecureRandom random = new SecureRandom();
        TokenRecords records = new TokenRecords(client);
        TokenSecrets secrets = new TokenSecrets(client);
        TokenCaches caches = new TokenCaches(client);
        metrics.tokensFrom(caches::tokens);
        Announcements announcements = new Announcements();
        TokenObserver observer = new TokenObserver(caches, secrets, records, new TerminatingNamespaces(client),
                announcements);
        TokenActor actor = new TokenActor(new TokenIssuer(random, new TokenId(random), records, secrets), records,
                secrets);
        TokenEventRecorder events = new TokenEventRecorder(new TokenEvents(client, clock, EventReporter.operator()));
        TokenEffects effects = new TokenEffects(events,
                new WorkloadRestarter(client), metrics, announcements, clock);
        return new PersonalAccessTokenReconciler(settings, clock, caches, observer, actor, effects);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
