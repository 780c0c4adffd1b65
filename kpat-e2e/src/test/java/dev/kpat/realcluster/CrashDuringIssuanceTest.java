package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.IssuedTokens;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.Pats;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.RecordWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator process is SIGKILLed at random moments while it issues tokens, on the real API server, and
 * restarted (a new process with a new identity, waiting out the dead one's Lease) until it is left to converge.
 * While it is down, the stored state must be safe: no token with two live values, and every record whose value is
 * not in a Secret marked pending in the stored object. Once converged: every token Active with one value, one
 * record hashing its Secret, an Issued Event, nothing pending, nothing orphaned. The seed is printed; replay one with
 * {@code -Dkpat.crash.seed=<seed>}, and run longer with {@code -Dkpat.crash.rounds=<n>}.
 */
@ExtendWith(RealCluster.class)
class CrashDuringIssuanceTest {
    private static final List<String> ELECTION = List.of("--leader-election-lease-duration=5s",
            "--leader-election-renew-deadline=4s", "--leader-election-retry-period=1s");
    private static final Duration START = Duration.ofSeconds(90);
    private static final int BATCH = 10;
    /** The kill comes this long at most after the round's chosen record appeared. */
    private static final int MAX_JITTER_MILLIS = 40;

    @Test
    void killedAtRandomMomentsTheOperatorConvergesOnOneValuePerToken(LocalControlPlane plane) {
        long seed = Long.getLong("kpat.crash.seed", System.nanoTime());
        int rounds = Integer.getInteger("kpat.crash.rounds", 4);
        System.out.printf("crash during issuance: seed %d, %d kills (replay: -Dkpat.crash.seed=%d)%n", seed, rounds,
                seed);
        Random random = new Random(seed);
        var admin = plane.admin();
        int killsWithWorkInFlight = 0;
        try (OperatorProcesses processes = new OperatorProcesses(plane, "crash-issuance", ELECTION)) {
            String ns = processes.namespace();
            for (int round = 1; round <= rounds; round++) {
                String hostname = "kpat-crash-" + round;
                Instant started = Instant.now();
                OperatorProcess p = processes.start("round-" + round, hostname).awaitHealthy(START);
                // the new process leads once the killed one's Lease has lapsed
                await().atMost(START).pollInterval(Duration.ofMillis(100))
                        .until(processes::leaseHolder, h -> h != null && h.startsWith(hostname + "_"));
                long ledAfter = Duration.between(started, Instant.now()).toMillis();
                // the kill comes right after the n-th record of this round's batch is created, give or take a few
                // milliseconds: with the operator issuing several tokens at once, each at its own step
                int nth = 1 + random.nextInt(BATCH / 2);
                int jitter = random.nextInt(MAX_JITTER_MILLIS);
                String prefix = "r" + round + "-";
                try (RecordWatch records = new RecordWatch(admin, ns, prefix, nth)) {
                    CompletableFuture<Void> creating = CompletableFuture.runAsync(() -> {
                        for (int i = 1; i <= BATCH; i++) {
                            Pats.create(admin, ns, prefix + i);
                        }
                    });
                    records.await(Duration.ofSeconds(60));
                    OperatorProcesses.sleep(Duration.ofMillis(jitter));
                    p.kill();
                    creating.join();
                }

                IssuedTokens down = IssuedTokens.read(admin, ns);
                System.out.printf("kill %d: process led %d ms after its start, killed %d ms after record %d of its"
                        + " batch appeared: %d pending records, %d of %d PATs not Active%n", round, ledAfter, jitter,
                        nth, down.pendingRecords(), down.notActive(), down.pats().size());
                assertThat(down.violationsAtAnyInstant()).as("after kill %d (seed %d)", round, seed).isEmpty();
                if (down.pendingRecords() > 0 || down.notActive() > 0) {
                    killsWithWorkInFlight++;
                }
            }

            OperatorProcess last = processes.start("converge", "kpat-crash-final").awaitHealthy(START);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> IssuedTokens.read(admin, ns).notActive() == 0);
            IssuedTokens converged = IssuedTokens.read(admin, ns);
            assertThat(converged.pats()).hasSize(rounds * BATCH);
            assertThat(converged.violationsWhenConverged(1)).as("converged (seed %d)", seed).isEmpty();
            System.out.printf("crash during issuance: %d kills, %d with issuance in flight; %d tokens converged%n",
                    rounds, killsWithWorkInFlight, converged.pats().size());
            // a value whose process died after activating it is still announced by the next one
            Set<String> announced = admin.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "Issued".equals(e.getReason())).map(e -> e.getInvolvedObject().getName())
                    .collect(Collectors.toSet());
            assertThat(converged.pats().stream().map(pat -> pat.getMetadata().getName())
                    .filter(name -> !announced.contains(name)).toList())
                    .as("PATs without an Issued Event (seed %d)", seed).isEmpty();
            assertThat(killsWithWorkInFlight).as("kills that interrupted issuance (seed %d)", seed).isPositive();

            // deleting the tokens through the operator leaves no Secret behind and every record a tombstone
            for (PersonalAccessToken pat : converged.pats()) {
                admin.resource(pat).delete();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> IssuedTokens.read(admin, ns).pats().isEmpty());
            assertThat(IssuedTokens.read(admin, ns).violationsAfterDeletion()).isEmpty();
            assertThat(last.stop()).isIn(0, 143);
            for (OperatorProcess p : processes.all()) {
                assertThat(p.forbiddenLines()).as(p.name() + " logged a 403").isEmpty();
            }
        }
    }
}
