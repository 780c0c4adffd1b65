package dev.kpat.reconcile;

import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.metrics.TokenMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

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
        // Server-side apply is off: status is patched with merge patches, which every API server (and the mock
        // server used in tests and the demo) supports, and spec is never written.
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            // stopping lets reconciles in flight finish, so the client is not closed under them; a leader waits no
            // longer than its renew deadline, within which the Lease it stops renewing is still its own
            o.withReconciliationTerminationTimeout(leaderElection == null ? RECONCILE_TERMINATION_TIMEOUT
                    : min(RECONCILE_TERMINATION_TIMEOUT, leaderElection.getRenewDeadline()));
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        operator.register(new PersonalAccessTokenReconciler(client, settings, clock, new SecureRandom(), metrics));
        operator.register(new TokenRecordRetentionReconciler(client, settings.recordRetention(), clock));
        operator.register(new TokenPolicyStatusReconciler(clock));
        operator.register(new ClusterTokenPolicyStatusReconciler(client, clock));
        return operator;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
