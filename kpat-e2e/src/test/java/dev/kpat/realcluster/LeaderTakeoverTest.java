package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.operator.LeaderElectionOptions;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.IssuedTokens;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.Pats;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator processes, as two replicas of the chart's Deployment: both authenticate as the chart's
 * ServiceAccount with the chart's RBAC and see the same HOSTNAME. Only the Lease holder issues; after it is
 * SIGKILLed (no chance to release the Lease) the standby takes the Lease when it lapses and issues, within the lease
 * duration plus a bounded start-up slack, and no token gets a second value. A leader stopped with SIGTERM exits
 * promptly and hands over; one that finds the Lease held by another exits with code 1.
 */
@ExtendWith(RealCluster.class)
class LeaderTakeoverTest {
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final List<String> ELECTION = List.of("--leader-election-lease-duration=5s",
            "--leader-election-renew-deadline=4s", "--leader-election-retry-period=1s");
    /** Start-up of the standby's controllers and one reconcile, on a loaded two-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(10);
    private static final Duration START = Duration.ofSeconds(90);
    /** Both replicas see one host name, as pods of one name would: their Lease identities must still differ. */
    private static final String HOSTNAME = "kpat-operator-0";
    private static final int BEFORE = 5;

    @Test
    void standbyTakesOverWithinTheLeaseAfterTheLeaderIsKilled(LocalControlPlane plane) {
        try (OperatorProcesses processes = new OperatorProcesses(plane, "leader-takeover", ELECTION)) {
            String ns = processes.namespace();
            var admin = plane.admin();
            OperatorProcess leader = processes.start("leader", HOSTNAME).awaitHealthy(START);
            String leaderId = await().atMost(START).pollInterval(Duration.ofMillis(200))
                    .until(processes::leaseHolder, h -> h != null);
            assertThat(leaderId).startsWith(HOSTNAME + "_");
            OperatorProcess standby = processes.start("standby", HOSTNAME).awaitHealthy(START);
            // a few retry periods in which the standby tries, and must fail, to take the Lease
            OperatorProcesses.sleep(Duration.ofSeconds(3));
            assertThat(standby.isAlive()).isTrue();
            assertThat(processes.leaseHolder()).isEqualTo(leaderId);

            for (int i = 1; i <= BEFORE; i++) {
                Pats.create(admin, ns, "before-" + i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> IssuedTokens.read(admin, ns).notActive() == 0);
            assertThat(IssuedTokens.read(admin, ns).violationsWhenConverged(1)).isEmpty();
            for (int i = 1; i <= BEFORE; i++) {
                assertThat(leader.log()).contains("Issued " + ns + "/before-" + i + ":");
            }
            assertThat(standby.log()).as("the standby issues nothing while the leader holds the Lease")
                    .doesNotContain("Issued " + ns + "/");
            assertThat(processes.leaseHolder()).isEqualTo(leaderId);

            Instant killed = leader.kill();
            Pats.create(admin, ns, "after-kill");
            Instant[] leaseTaken = new Instant[1];
            await().atMost(LEASE.plus(SLACK).plusSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (leaseTaken[0] == null && !leaderId.equals(processes.leaseHolder())) {
                    leaseTaken[0] = Instant.now();
                }
                return Pats.isActive(admin, ns, "after-kill");
            });
            Duration toReconcile = Duration.between(killed, Instant.now());
            Duration toLease = leaseTaken[0] == null ? toReconcile : Duration.between(killed, leaseTaken[0]);
            System.out.printf("leader takeover after SIGKILL: the standby held the Lease after %d ms and had issued"
                            + " a new PAT after %d ms (lease duration %d ms, bound %d ms)%n", toLease.toMillis(),
                    toReconcile.toMillis(), LEASE.toMillis(), LEASE.plus(SLACK).toMillis());
            assertThat(toReconcile).isLessThan(LEASE.plus(SLACK));

            String standbyId = processes.leaseHolder();
            assertThat(standbyId).startsWith(HOSTNAME + "_").isNotEqualTo(leaderId);
            assertThat(standby.log()).contains("Issued " + ns + "/after-kill:")
                    .as("no token of the killed leader is issued again").doesNotContain("Issued " + ns + "/before-");
            // every token, old and new: Active at revision 1, one record, hashing the value in its Secret
            assertThat(IssuedTokens.read(admin, ns).violationsWhenConverged(1)).isEmpty();
            assertThat(IssuedTokens.read(admin, ns).pats()).hasSize(BEFORE + 1);

            // SIGTERM, as a rolling update does: the leader releases the Lease and exits, a new standby takes over
            OperatorProcess next = processes.start("next", HOSTNAME).awaitHealthy(START);
            OperatorProcesses.sleep(Duration.ofSeconds(2));
            Instant terminated = Instant.now();
            assertThat(standby.stop()).as("exit code after SIGTERM").isIn(0, 143);
            Duration toExit = Duration.between(terminated, Instant.now());
            Pats.create(admin, ns, "after-handoff");
            await().atMost(LEASE.plus(SLACK).plusSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Pats.isActive(admin, ns, "after-handoff"));
            Duration handoff = Duration.between(terminated, Instant.now());
            System.out.printf("handoff after SIGTERM: the leader exited after %d ms, its successor had issued a new"
                    + " PAT after %d ms%n", toExit.toMillis(), handoff.toMillis());
            assertThat(toExit).as("SIGTERM ends the leader promptly").isLessThan(Duration.ofSeconds(15));
            assertThat(processes.leaseHolder()).startsWith(HOSTNAME + "_").isNotIn(leaderId, standbyId);
            assertThat(next.log()).contains("Issued " + ns + "/after-handoff:")
                    .doesNotContain("Issued " + ns + "/before-").doesNotContain("Issued " + ns + "/after-kill:");
            assertThat(IssuedTokens.read(admin, ns).violationsWhenConverged(1)).isEmpty();

            assertThat(next.stop()).isIn(0, 143);
            for (OperatorProcess p : processes.all()) {
                assertThat(p.forbiddenLines()).as(p.name() + " logged a 403").isEmpty();
            }
        }
    }

    @Test
    void leaderThatLosesTheLeaseExitsWithOne(LocalControlPlane plane) {
        try (OperatorProcesses processes = new OperatorProcesses(plane, "lost-lease", ELECTION)) {
            OperatorProcess leader = processes.start("leader", HOSTNAME).awaitHealthy(START);
            await().atMost(START).until(processes::leaseHolder, h -> h != null);
            // another holder appears with a fresh renewal, as after a network partition the leader did not notice
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(LeaderTakeoverTest::isConflict)
                    .until(() -> plane.admin().leases().inNamespace(ChartRbac.NAMESPACE)
                            .withName(LeaderElectionOptions.LEASE_NAME).edit(l -> {
                                l.getSpec().setHolderIdentity("another-replica");
                                l.getSpec().setLeaseDurationSeconds(60);
                                l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                                return l;
                            }) != null);
            await().atMost(Duration.ofSeconds(20)).until(() -> !leader.isAlive());
            assertThat(leader.stop()).as("exit code of a leader that lost the Lease").isEqualTo(1);
            assertThat(leader.log()).contains("lost the leader election Lease");
            assertThat(leader.forbiddenLines()).isEmpty();
        }
    }

    /** The leader renews the Lease concurrently: an edit may lose the race and is tried again. */
    private static boolean isConflict(Throwable e) {
        return e instanceof KubernetesClientException k && k.getCode() == 409;
    }
}
