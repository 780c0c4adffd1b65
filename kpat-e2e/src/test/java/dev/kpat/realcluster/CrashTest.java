package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ExpectedToken;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.OperatorWrites;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.SecretValueLedger;
import dev.kpat.testing.TokenInvariants;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator process is SIGKILLed at random moments of every lifecycle phase on the real API server: while it
 * issues, rotates (on request, and on schedule after a spec change), revokes and deletes tokens
 * ({@link CrashScenario}). A standby process (a new identity) is already up; once the stored state was checked, the
 * dead leader's Lease is deleted and the standby takes over (waiting for the Lease to lapse would add its duration to
 * every kill: {@link LeaderTakeoverTest} measures that). Each kill comes a seeded number of writes into the burst
 * plus a seeded jitter, so it lands inside the operator's multi-write steps. Right after each kill the stored state
 * must be safe ({@link TokenInvariants#atAnyInstant}); once the last process has converged, every token is what was done to it ({@link
 * TokenInvariants#converged}), with every value ever seen in a Secret accounted for ({@link SecretValueLedger}).
 * The seed is printed; replay a run with {@code -Dkpat.crash.seed=<seed>}; {@code -Dkpat.crash.rounds=<n>} kills
 * {@code n} times per phase (default 2: 8 kills).
 */
@ExtendWith(RealCluster.class)
class CrashTest {
    /**
     * The chart's lease duration and renew deadline: a standby could take a killed leader's Lease only 15 s after its
     * last renewal, not while the test reads the stored state (it deletes the Lease itself then); it tries every
     * second. Scheduled rotations are not spread ({@code --rotation-spread=0}): the scenario makes them due at once
     * by a spec change, and a spread of the new window would put them minutes away.
     */
    private static final List<String> ELECTION = List.of("--leader-election-lease-duration=15s",
            "--leader-election-renew-deadline=10s", "--leader-election-retry-period=1s", "--rotation-spread=0");
    private static final Duration START = Duration.ofSeconds(90);
    /** The kill comes this long at most after the chosen write of the burst. */
    private static final int MAX_JITTER_MILLIS = 40;
    /** How long the last process may take to converge. */
    private static final Duration CONVERGE = Duration.ofSeconds(120);

    @Test
    void killedAtRandomMomentsOfEveryPhaseTheOperatorConverges(LocalControlPlane plane) {
        long seed = Long.getLong("kpat.crash.seed", System.nanoTime());
        int rounds = Integer.getInteger("kpat.crash.rounds", 2);
        List<CrashScenario> bursts = CrashScenario.all(rounds);
        System.out.printf("crash test: seed %d, %d kills (%d per phase), %d tokens (replay: -Dkpat.crash.seed=%d"
                + " -Dkpat.crash.rounds=%d)%n", seed, bursts.size(), rounds, rounds * CrashScenario.BATCH, seed,
                rounds);
        Random random = new Random(seed);
        KubernetesClient admin = plane.admin();
        Instant began = Instant.now();
        Map<String, ExpectedToken> expected = new LinkedHashMap<>();
        Map<String, Integer> kills = new TreeMap<>();
        Map<String, Integer> killsInFlight = new TreeMap<>();
        try (OperatorProcesses processes = new OperatorProcesses(plane, "crash", ELECTION);
             SecretValueLedger ledger = SecretValueLedger.watch(admin, processes.namespace())) {
            String ns = processes.namespace();
            int kill = 0;
            OperatorProcess leader = awaitLeading(processes, processes.start("kill-1", "kpat-crash-kill-1"));
            for (CrashScenario burst : bursts) {
                kill++;
                // the next process starts now, as a standby, so its start-up is not part of the takeover
                String next = kill == bursts.size() ? "converge" : "kill-" + (kill + 1);
                OperatorProcess standby = processes.start(next, "kpat-crash-" + next);
                awaitNone(() -> burst.notReady(TokenInvariants.read(admin, ns), expected, ledger),
                        "before kill " + kill + " (seed " + seed + ")");

                int nth = 1 + random.nextInt(burst.writes() / 2);
                int jitter = random.nextInt(MAX_JITTER_MILLIS);
                Instant started = Instant.now();
                Instant firstWrite;
                Instant killed;
                try (OperatorWrites writes = new OperatorWrites(admin, ns, new HashSet<>(burst.tokens()), nth)) {
                    CompletableFuture<Void> user = CompletableFuture.runAsync(() -> burst.start(admin, ns));
                    firstWrite = writes.await(Duration.ofSeconds(60));
                    OperatorProcesses.sleep(Duration.ofMillis(jitter));
                    killed = leader.kill();
                    user.join();
                }
                burst.tokens().forEach(t -> expected.put(t, burst.after(expected.get(t))));

                // read while nothing runs: the standby cannot lead before the Lease goes
                TokenInvariants down = TokenInvariants.read(admin, ns);
                long unfinished = burst.tokens().stream().filter(t -> !down.of(t, expected.get(t), ledger).isEmpty())
                        .count();
                assertThat(down.atAnyInstant(ledger)).as("after kill %d (seed %d)", kill, seed).isEmpty();
                kills.merge(burst.phase(), 1, Integer::sum);
                killsInFlight.merge(burst.phase(), unfinished > 0 ? 1 : 0, Integer::sum);

                // the dead leader's Lease is deleted rather than waited out (LeaderTakeoverTest measures that)
                processes.deleteLease();
                standby = awaitLeading(processes, standby);
                System.out.printf("kill %d, %s: first write %d ms into the burst, killed %d ms after write %d: %d of %d"
                                + " tokens unfinished, %d pending records; the standby led %d ms after the kill%n",
                        kill, burst.describe(), Duration.between(started, firstWrite).toMillis(), jitter, nth,
                        unfinished, burst.tokens().size(), down.pendingRecords(),
                        Duration.between(killed, Instant.now()).toMillis());
                leader = standby;
            }

            expected.forEach((name, e) -> {
                if (e.end() == ExpectedToken.End.ACTIVE && e.previous() == ExpectedToken.Retired.SUPERSEDED) {
                    CrashScenario.RotationOnSchedule.stopScheduledRotation(admin, ns, name);
                }
            });
            awaitNone(() -> TokenInvariants.read(admin, ns).converged(expected, ledger),
                    "converged (seed " + seed + ")");
            assertEvents(admin, ns, expected);
            Duration took = Duration.between(began, Instant.now());
            System.out.printf("crash test: seed %d, %d kills in %d s, per phase %s, with work in flight %s; %d tokens"
                    + " converged (%s), %d values seen in Secrets, each once%n", seed, kill, took.toSeconds(), kills,
                    killsInFlight, expected.size(), expected.values().stream().collect(Collectors.groupingBy(
                            ExpectedToken::end, TreeMap::new, Collectors.counting())), ledger.values());
            killsInFlight.forEach((phase, n) -> assertThat(n).as("kills that interrupted %s (seed %d)", phase, seed)
                    .isPositive());
            assertThat(leader.stop()).isIn(0, 143);
            for (OperatorProcess p : processes.all()) {
                assertThat(p.forbiddenLines()).as(p.name() + " logged a 403").isEmpty();
            }
        }
    }

    /** Waits until {@code violations} finds none; if it still does after {@link #CONVERGE}, fails with them. */
    private static void awaitNone(Supplier<List<String>> violations, String what) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        try {
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                    .until(() -> last.updateAndGet(l -> violations.get()).isEmpty());
        } catch (ConditionTimeoutException e) {
            assertThat(last.get()).as(what + ", after " + CONVERGE).isEmpty();
        }
    }

    /**
     * Waits until {@code p} (started with the host name {@code kpat-crash-<its name>}) holds the Lease, and returns
     * it; if it exited first (on an overloaded machine a start-up can time out reaching the API, which is not what
     * this test is about), another process takes its place.
     */
    private static OperatorProcess awaitLeading(OperatorProcesses processes, OperatorProcess p) {
        try {
            p.awaitHealthy(START);
        } catch (AssertionError e) {
            if (p.isAlive()) {
                throw e;
            }
        }
        String hostname = "kpat-crash-" + p.name();
        await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> !p.isAlive()
                || (processes.leaseHolder() != null && processes.leaseHolder().startsWith(hostname + "_")));
        if (p.isAlive()) {
            return p;
        }
        System.out.printf("%s exited before it led: %s%n", p.name(), p.log().lines()
                .filter(l -> l.startsWith("kpat:")).findFirst().orElse("(no message)"));
        String again = p.name() + "-again";
        return awaitLeading(processes, processes.start(again, "kpat-crash-" + again));
    }

    /**
     * Every value is announced, even when the process that issued it died before status named it: an Issued Event
     * for every token, Rotated for the rotated, Revoked for the revoked (twice is allowed, missing is not).
     */
    private static void assertEvents(KubernetesClient admin, String ns, Map<String, ExpectedToken> expected) {
        Map<String, Set<String>> reasons = admin.v1().events().inNamespace(ns).list().getItems().stream()
                .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getName(),
                        Collectors.mapping(Event::getReason, Collectors.toSet())));
        expected.forEach((name, e) -> {
            Set<String> got = reasons.getOrDefault(name, Set.of());
            assertThat(got).as("Events of %s", name).contains("Issued");
            if (e.values() > 1) {
                assertThat(got).as("Events of %s", name).contains("Rotated");
            }
            if (e.end() == ExpectedToken.End.REVOKED) {
                assertThat(got).as("Events of %s", name).contains("Revoked");
            }
        });
    }
}
