package dev.kpat.faults;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.IssuedTokens;
import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import dev.kpat.testing.Pats;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One run: the operator process, as the chart's ServiceAccount, reaches the real API server only through a
 * {@link FaultProxy}; {@code tokens} PATs are created, then all rotated after a leak ({@code kpat.dev/rotate}), then a
 * quarter revoked ({@code spec.revoked}) and a quarter deleted, each step awaited before the next. Users' requests
 * (the test's, as administrator) go to the API server directly. While it waits, the run reads every kpat Secret's
 * value (keeping only hashes) so a value issued and replaced in between is still checked against the records.
 */
final class FaultScenario {
    private static final Duration POLL = Duration.ofMillis(500);

    private final LocalControlPlane plane;
    private final KubernetesClient admin;
    private final String namespace;
    private final FaultPlan plan;
    private final int tokens;
    private final Duration patience;
    private final Map<String, Set<String>> seenValues = new HashMap<>();

    FaultScenario(LocalControlPlane plane, String namespace, FaultPlan plan, int tokens) {
        this.plane = plane;
        this.admin = plane.admin();
        this.namespace = namespace;
        this.plan = plan;
        this.tokens = tokens;
        // generous: a shared 2-core machine under load took 2 s a token without faults
        this.patience = Duration.ofSeconds(120 + 3L * tokens);
    }

    FaultRun run() throws Exception {
        try (FaultProxy proxy = new FaultProxy(URI.create(plane.url()), plane.caPem(), plan);
             OperatorProcesses processes = new OperatorProcesses(plane, namespace,
                     List.of("--watch-namespaces=" + namespace))) {
            OperatorSupervisor operator = new OperatorSupervisor(processes, throughProxy(processes, proxy));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < tokens; i++) {
                names.add(String.format("t%04d", i));
            }
            List<String> revoked = names.subList(0, tokens / 4);
            List<String> deleted = names.subList(tokens / 4, tokens / 2);

            Instant start = Instant.now();
            parallel(names, name -> Pats.create(admin, namespace, name));
            IssuedTokens issued = await(operator, "every PAT Active", s -> s.pats().size() == tokens
                    && s.notActive() == 0);
            Instant allIssued = Instant.now();

            Map<String, String> firstIds = new HashMap<>();
            issued.pats().forEach(p -> firstIds.put(p.getMetadata().getName(), p.getStatus().getTokenId()));
            String rotateRequest = "leak-" + start.toEpochMilli();
            parallel(names, name -> patch(name, "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_ANNOTATION
                    + "\":\"" + rotateRequest + "\"}}}"));
            await(operator, "every PAT rotated", s -> s.notActive() == 0 && s.pats().stream().allMatch(p ->
                    rotateRequest.equals(p.getStatus().getObservedRotateRequest())
                            && !firstIds.get(p.getMetadata().getName()).equals(p.getStatus().getTokenId())));
            Instant allRotated = Instant.now();

            parallel(revoked, name -> patch(name, "{\"spec\":{\"revoked\":true}}"));
            parallel(deleted, name -> admin.resources(PersonalAccessToken.class).inNamespace(namespace)
                    .withName(name).delete());
            Set<String> revokedSet = Set.copyOf(revoked);
            await(operator, "revoked PATs Revoked, deleted ones gone", s -> s.pats().size() == tokens - deleted.size()
                    && s.pats().stream().allMatch(p -> !revokedSet.contains(p.getMetadata().getName())
                    || "Revoked".equals(String.valueOf(p.getStatus().getPhase()))));
            Instant settled = Instant.now();

            Map<String, String> expected = new LinkedHashMap<>();
            names.stream().filter(n -> !deleted.contains(n)).forEach(n -> expected.put(n,
                    revokedSet.contains(n) ? "Revoked" : "Active"));
            // the phases are reached; records and Secrets follow within moments
            IssuedTokens state = await(operator, "the stored state settled", s ->
                    s.violationsWhenSettled(expected, 2).isEmpty());
            List<String> violations = new ArrayList<>(state.violationsWhenSettled(expected, 2));
            violations.addAll(state.violationsOfSeenValues(seenValues));
            for (OperatorProcess p : processes.all()) {
                p.forbiddenLines().forEach(l -> violations.add(p.name() + " logged a 403: " + l));
            }
            if (!violations.isEmpty()) {
                throw new AssertionError("at " + plan.rate() + " faults: " + String.join("\n", violations));
            }
            ApiTraffic traffic = proxy.traffic();
            long from = start.toEpochMilli();
            long to = settled.toEpochMilli();
            FaultRun run = new FaultRun(plan.rate(), tokens, Duration.between(start, allIssued),
                    Duration.between(start, allRotated), Duration.between(start, settled), traffic.requests(),
                    traffic.byVerb(), traffic.rate(from, to), traffic.faults(), traffic.byFault(),
                    traffic.faultRate(from, to), operator.exits());
            operator.current().stop();
            return run;
        }
    }

    /** Polls the stored state until {@code done}, restarting the operator when it exits, noting every value seen. */
    private IssuedTokens await(OperatorSupervisor operator, String what, Predicate<IssuedTokens> done) {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            operator.ensureRunning();
            IssuedTokens state = IssuedTokens.read(admin, namespace);
            state.secretValueHashes().forEach((pat, hash) -> seenValues.computeIfAbsent(pat, k -> new HashSet<>())
                    .add(hash));
            if (done.test(state)) {
                return state;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(String.format("at %.0f %% faults, not %s within %s: %d PATs, %d not Active,"
                                + " %d pending records; operator exits %s; the last operator's log ends:%n%s",
                        plan.rate() * 100, what, patience, state.pats().size(), state.notActive(),
                        state.pendingRecords(), operator.exits(), tail(operator.current().log())));
            }
            OperatorProcesses.sleep(POLL);
        }
    }

    /**
     * A merge patch without a resourceVersion, as {@code kubectl annotate} and {@code kubectl patch} send: the
     * operator's own writes to the PAT (status, finalizer) do not make it conflict.
     */
    private void patch(String name, String mergePatch) {
        admin.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    /** Users act at once, as many would: eight at a time. */
    private static void parallel(List<String> names, Consumer<String> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            names.forEach(n -> done.add(pool.submit(() -> action.accept(n))));
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The chart operator's kubeconfig (its ServiceAccount's bearer token) with the proxy as the server. */
    private Path throughProxy(OperatorProcesses processes, FaultProxy proxy) {
        try {
            String text = Files.readString(processes.rbac().operatorKubeconfig());
            Path file = processes.dir().resolve("operator-via-proxy.kubeconfig");
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text.replace(plane.url(), proxy.url()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
