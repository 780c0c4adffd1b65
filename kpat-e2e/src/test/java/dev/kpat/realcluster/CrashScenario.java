package dev.kpat.realcluster;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.testing.ExpectedToken;
import dev.kpat.testing.Pats;
import dev.kpat.testing.SecretValueLedger;
import dev.kpat.testing.TokenInvariants;
import dev.kpat.token.Durations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A burst of work for the operator that {@link CrashTest} kills it in the middle of: one lifecycle phase for a batch
 * of tokens. Batch {@code b} has {@link #BATCH} tokens {@code b<b>-<n>}: all are issued, tokens 1 to 10 rotated (on
 * request in odd batches, by a spec change bringing scheduled rotation forward in even ones), 1 to 4 then revoked and
 * 5 to 8 deleted; 9 to 12 stay Active.
 */
interface CrashScenario {
    int BATCH = 12;
    /** Scheduled rotation every this long: a spec change makes a value issued at least this long ago due at once. */
    Duration PERIOD = Duration.ofSeconds(10);
    Duration GRACE = Duration.ofMinutes(10);

    /** The lifecycle phase: issuance, rotation, revocation or deletion. */
    String phase();

    /** What the burst does, for the output. */
    String describe();

    List<String> tokens();

    /** About how many writes of records and Secrets the operator makes for the burst. */
    int writes();

    /** Starts the burst, as a user would. */
    void start(KubernetesClient admin, String namespace);

    /** What the burst makes of a token, once the operator has converged. */
    ExpectedToken after(ExpectedToken before);

    /** What keeps the burst's tokens from where the burst starts (where {@code expected} says); empty when ready. */
    default List<String> notReady(TokenInvariants now, Map<String, ExpectedToken> expected, SecretValueLedger ledger) {
        return tokens().stream().filter(expected::containsKey)
                .flatMap(t -> now.of(t, expected.get(t), ledger).stream()).toList();
    }

    /** Every burst of a run: each phase {@code rounds} times, phase after phase. */
    static List<CrashScenario> all(int rounds) {
        List<CrashScenario> all = new ArrayList<>();
        IntStream.rangeClosed(1, rounds).forEach(b -> all.add(new Issuance(b)));
        IntStream.rangeClosed(1, rounds).forEach(b -> all.add(b % 2 == 1 ? new RotationOnRequest(b)
                : new RotationOnSchedule(b)));
        IntStream.rangeClosed(1, rounds).forEach(b -> all.add(new Revocation(b)));
        IntStream.rangeClosed(1, rounds).forEach(b -> all.add(new Deletion(b)));
        return all;
    }

    /** Tokens {@code from} to {@code to} of a batch. */
    static List<String> tokens(int batch, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "b" + batch + "-" + n).toList();
    }

    static void mergePatch(KubernetesClient admin, String namespace, String name, String patch) {
        admin.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Creating the batch's PATs: a pending record, the Secret, the activation, for each. */
    record Issuance(int batch) implements CrashScenario {
        public String phase() {
            return "issuance";
        }

        public String describe() {
            return "issuance of batch " + batch;
        }

        public List<String> tokens() {
            return CrashScenario.tokens(batch, 1, BATCH);
        }

        public int writes() {
            return 3 * BATCH;
        }

        public void start(KubernetesClient admin, String namespace) {
            tokens().forEach(name -> Pats.create(admin, namespace, name));
        }

        public ExpectedToken after(ExpectedToken before) {
            return ExpectedToken.issued();
        }
    }

    /** {@code kpat.dev/rotate} on tokens 1 to 10: a new value each, the old one revoked at once. */
    record RotationOnRequest(int batch) implements CrashScenario {
        public String phase() {
            return "rotation";
        }

        public String describe() {
            return "rotation on request (kpat.dev/rotate) of batch " + batch;
        }

        public List<String> tokens() {
            return CrashScenario.tokens(batch, 1, 10);
        }

        public int writes() {
            return 4 * 10;
        }

        public void start(KubernetesClient admin, String namespace) {
            tokens().forEach(name -> mergePatch(admin, namespace, name,
                    "{\"metadata\":{\"annotations\":{\"kpat.dev/rotate\":\"crash-" + batch + "\"}}}"));
        }

        public ExpectedToken after(ExpectedToken before) {
            return before.rotatedOnRequest();
        }
    }

    /**
     * A spec change on tokens 1 to 10: a one-hour lifetime renewed {@link #PERIOD} after issue, so their values,
     * older than that, are due at once; the old ones stay valid for the grace period. They then rotate every
     * {@link #PERIOD} until {@link #stopScheduledRotation}.
     */
    record RotationOnSchedule(int batch) implements CrashScenario {
        public String phase() {
            return "rotation";
        }

        public String describe() {
            return "scheduled rotation brought forward by a spec change, batch " + batch;
        }

        public List<String> tokens() {
            return CrashScenario.tokens(batch, 1, 10);
        }

        public int writes() {
            return 4 * 10;
        }

        @Override
        public List<String> notReady(TokenInvariants now, Map<String, ExpectedToken> expected,
                                     SecretValueLedger ledger) {
            Instant due = Instant.now().minus(PERIOD);
            List<String> out = new ArrayList<>(CrashScenario.super.notReady(now, expected, ledger));
            now.pats().stream().filter(p -> tokens().contains(p.getMetadata().getName()))
                    .filter(p -> p.getStatus() == null || p.getStatus().getIssuedAt() == null
                            || Instant.parse(p.getStatus().getIssuedAt()).isAfter(due))
                    .forEach(p -> out.add(p.getMetadata().getName() + " was issued less than " + PERIOD + " ago"));
            return out;
        }

        public void start(KubernetesClient admin, String namespace) {
            String renewBefore = Durations.format(Duration.ofHours(1).minus(PERIOD));
            tokens().forEach(name -> mergePatch(admin, namespace, name, "{\"spec\":{\"ttl\":\"1h\",\"rotation\":{"
                    + "\"enabled\":true,\"renewBefore\":\"" + renewBefore + "\",\"gracePeriod\":\""
                    + Durations.format(GRACE) + "\"}}}"));
        }

        public ExpectedToken after(ExpectedToken before) {
            return before.rotatedOnSchedule(GRACE);
        }

        /** Turns scheduled rotation off again (an edit in place, no new value), so the namespace comes to rest. */
        static void stopScheduledRotation(KubernetesClient admin, String namespace, String name) {
            mergePatch(admin, namespace, name, "{\"spec\":{\"rotation\":{\"enabled\":false}}}");
        }
    }

    /** {@code spec.revoked: true} on tokens 1 to 4: every record revoked, the Secret deleted. */
    record Revocation(int batch) implements CrashScenario {
        public String phase() {
            return "revocation";
        }

        public String describe() {
            return "revocation (spec.revoked) in batch " + batch;
        }

        public List<String> tokens() {
            return CrashScenario.tokens(batch, 1, 4);
        }

        public int writes() {
            return 3 * 4;
        }

        public void start(KubernetesClient admin, String namespace) {
            tokens().forEach(name -> mergePatch(admin, namespace, name, "{\"spec\":{\"revoked\":true}}"));
        }

        public ExpectedToken after(ExpectedToken before) {
            return before.revoked();
        }
    }

    /** Deleting tokens 5 to 8: the finalizer revokes every record and deletes the Secret, then lets the PAT go. */
    record Deletion(int batch) implements CrashScenario {
        public String phase() {
            return "deletion";
        }

        public String describe() {
            return "deletion in batch " + batch;
        }

        public List<String> tokens() {
            return CrashScenario.tokens(batch, 5, 8);
        }

        public int writes() {
            return 3 * 4;
        }

        public void start(KubernetesClient admin, String namespace) {
            tokens().forEach(name -> admin.resources(PersonalAccessToken.class).inNamespace(namespace)
                    .withName(name).delete());
        }

        public ExpectedToken after(ExpectedToken before) {
            return before.deleted();
        }
    }
}
