package dev.kpat.reconcile;

import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.TokenMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** Builds the operator: both controllers on one client, with the settings and clock given. */
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
     *                        and Events too); empty for every namespace. TokenRecords and ClusterTokenPolicies are
     *                        cluster-scoped and always watched whole.
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
                    .withMetrics(MicrometerMetricsV2.newBuilder(metrics.registry()).build());
            // stopping lets reconciles in flight finish, so the client is not closed under them; a leader waits no
            // longer than its renew deadline, within which the Lease it stops renewing is still its own
            o.withReconciliationTerminationTimeout(leaderElection == null ? RECONCILE_TERMINATION_TIMEOUT
                    : min(RECONCILE_TERMINATION_TIMEOUT, leaderElection.getRenewDeadline()));
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        boolean all = watchNamespaces.isEmpty();
        operator.register(new PersonalAccessTokenReconciler(client, settings, clock, new SecureRandom(), metrics),
                c -> {
                    if (!all) {
                        c.settingNamespaces(watchNamespaces);
                    }
                });
        operator.register(new TokenRecordRetentionReconciler(client, settings.recordRetention(), clock));
        operator.register(new TokenPolicyStatusReconciler(clock), c -> {
            if (!all) {
                c.settingNamespaces(watchNamespaces);
            }
        });
        operator.register(new ClusterTokenPolicyStatusReconciler(client, clock, watchNamespaces));
        return operator;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
