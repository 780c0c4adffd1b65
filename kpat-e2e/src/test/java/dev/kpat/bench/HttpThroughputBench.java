package dev.kpat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.RealCluster;
import dev.kpat.token.TokenFormat;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The verifier as users run it: {@code java -jar kpat-verifier.jar serve} as its own process, with the JVM flags of
 * the image and no flag but a free {@code --port} (so audit lines go to standard output, which a drain thread copies
 * from the pipe into a file as a container runtime does), its index fed by its informer from the real API server
 * (1,000 TokenRecords written by the chart's operator identity, read with the chart's verifier identity). After a
 * warm-up, {@code wrk -t1 -c32 --latency} against the constant {@code /healthz} and against forward-auth
 * {@code /v1/auth?scope=write:tasks} with an active token, 15 s each; three runs, each with a new verifier process.
 * After each, SIGTERM: every decision must be in the audit lines and the token nowhere in the output. Run with
 * {@code mvn -B -o -Pbench verify -pl kpat-e2e -am -Dtest=HttpThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}
 * (verify, not test: the jar must be packaged).
 */
@Tag("bench")
@ExtendWith(RealCluster.class)
class HttpThroughputBench {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final int RECORDS = 1_000;
    private static final int WARM_UP_SECONDS = 10;
    private static final int MEASURE_SECONDS = 15;
    /** Runs, each with a new verifier process: {@code -Dkpat.bench.runs=N}. */
    private static final int RUNS = Integer.getInteger("kpat.bench.runs", 3);
    private static final Pattern INDEXED = Pattern.compile("(?m)^kpat_verifier_index_records ([0-9.]+)");

    @Test
    void authEndpointAgainstAConstantEndpoint(LocalControlPlane plane) throws Exception {
        Assumptions.assumeTrue(Wrk.installed(), "wrk is not installed (apt-get install -y wrk): benchmark skipped");
        // another build's jar for a comparison in the same conditions: -Dkpat.bench.verifierJar=PATH
        Path jar = Path.of(System.getProperty("kpat.bench.verifierJar",
                REPO.resolve("kpat-verifier/target/kpat-verifier.jar").toString()));
        assertThat(jar).as("the verifier jar: run with `verify -am`, which packages it").exists();
        Path dir = Files.createDirectories(REPO.resolve("kpat-e2e/target/http-bench"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        ChartRbac rbac = ChartRbac.install(plane);
        try (KubernetesClient operator = rbac.operatorClient()) {
            String token = writeRecords(operator, run);
            Path script = Wrk.bearerScript(dir, token);
            try {
                for (int n = 1; n <= RUNS; n++) {
                    measure(n, jar, rbac.verifierKubeconfig(), dir, script, token);
                }
            } finally {
                Files.deleteIfExists(script);
            }
        } finally {
            // the operator may delete records one by one only; the admin (break-glass) removes them all at once
            plane.admin().resources(TokenRecord.class).withLabel("kpat.dev/bench", run).delete();
        }
    }

    /** One run: a new verifier process, its index synced, warm-ups, both measurements, SIGTERM, the audit check. */
    private static void measure(int n, Path jar, Path kubeconfig, Path dir, Path script, String token)
            throws Exception {
        int port = freePort();
        Path stdout = dir.resolve("verifier-stdout-" + n + ".log");
        Process verifier = startVerifier(jar, port, kubeconfig, dir);
        PipeDrain drain = new PipeDrain(verifier.getInputStream(), stdout);
        try {
            String base = "http://127.0.0.1:" + port;
            awaitIndexed(verifier, base, token);
            Wrk wrk = new Wrk(32);
            String constantUrl = base + "/healthz";
            String authUrl = base + "/v1/auth?scope=write:tasks";
            wrk.run(constantUrl, null, WARM_UP_SECONDS);
            long authRequests = 1 + wrk.run(authUrl, script, WARM_UP_SECONDS).requests(); // 1: awaitIndexed
            String loadBefore = uptime();
            long cpu0 = cpuMicros(verifier);
            Wrk.Result constant = wrk.run(constantUrl, null, MEASURE_SECONDS);
            long cpu1 = cpuMicros(verifier);
            Wrk.Result auth = wrk.run(authUrl, script, MEASURE_SECONDS);
            long cpu2 = cpuMicros(verifier);
            authRequests += auth.requests();
            System.out.printf("http run %d: /healthz %.0f req/s p99 %.2f ms; /v1/auth %.0f req/s p99 %.2f ms;"
                    + " ratio %.2f; verifier CPU per request %.1f us and %.1f us (%s before, %s after)%n", n,
                    constant.requestsPerSecond(), constant.p99Millis(), auth.requestsPerSecond(), auth.p99Millis(),
                    auth.requestsPerSecond() / constant.requestsPerSecond(),
                    (cpu1 - cpu0) / (double) constant.requests(), (cpu2 - cpu1) / (double) auth.requests(),
                    loadBefore, uptime());
            stop(verifier);
            drain.close();
            assertEveryDecisionAudited(stdout, token, authRequests);
        } finally {
            verifier.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(stdout); // hundreds of MB of audit lines
        }
    }

    /** {@link #RECORDS} TokenRecords as the operator writes them; returns the value of an active one. */
    private static String writeRecords(KubernetesClient operator, String run) {
        TokenFormat format = new TokenFormat(TokenFormat.DEFAULT_PREFIX);
        String active = null;
        long start = System.nanoTime();
        for (int n = 0; n < RECORDS; n++) {
            String value = format.generate().reveal();
            TokenRecord r = VerifyBenchmark.record(n, value);
            r.getMetadata().setName("bench-" + run + "-" + n);
            r.getMetadata().setLabels(Map.of("kpat.dev/bench", run));
            r.getSpec().setScopes(List.of("read", "write:tasks"));
            operator.resource(r).create();
            active = value;
        }
        System.out.printf("http: %d TokenRecords written in %.1f s%n", RECORDS, (System.nanoTime() - start) / 1e9);
        return active;
    }

    /** {@code java <the image's JVM flags> -jar kpat-verifier.jar serve --port=PORT}, stderr to a file. */
    private static Process startVerifier(Path jar, int port, Path kubeconfig, Path dir) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(imageJvmFlags());
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port=" + port));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("verifier-stderr.log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        return pb.start();
    }

    /** The flags the images start the JVM with (the parent pom's Jib configuration). */
    private static List<String> imageJvmFlags() throws IOException {
        Matcher m = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(Files.readString(REPO.resolve("pom.xml")));
        List<String> flags = new ArrayList<>();
        while (m.find()) {
            flags.add(m.group(1));
        }
        assertThat(flags).as("the images' JVM flags in the parent pom").isNotEmpty();
        return flags;
    }

    /** Until the informer has indexed every record; then the token must be accepted (one audited request). */
    private static void awaitIndexed(Process verifier, String base, String token)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(verifier.isAlive()).as("the verifier process is running").isTrue();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher indexed = INDEXED.matcher(metrics.body());
            assertThat(indexed.find() && Double.parseDouble(indexed.group(1)) >= RECORDS).isTrue();
        });
        HttpRequest auth = HttpRequest.newBuilder(URI.create(base + "/v1/auth?scope=write:tasks"))
                .header("Authorization", "Bearer " + token).build();
        assertThat(http.send(auth, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    /**
     * Every request wrk counted was decided and audited (wrk counts only answered requests, so a few more lines, one
     * per connection at the end of each run, are fine), every decision was an allow, and the value is in no line.
     */
    private static void assertEveryDecisionAudited(Path stdout, String token, long authRequests) throws IOException {
        long lines = 0;
        long denied = 0;
        boolean leaked = false;
        try (BufferedReader in = Files.newBufferedReader(stdout, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.contains("\"endpoint\":\"auth\"")) {
                    lines++;
                    denied += line.contains("\"decision\":\"allow\"") ? 0 : 1;
                }
                leaked |= line.contains(token);
            }
        }
        System.out.printf("http: %d audit lines of /v1/auth on stdout for %d requests wrk counted, all allowed%n",
                lines, authRequests);
        assertThat(leaked).as("the token value appears in the verifier's output").isFalse();
        assertThat(denied).isZero();
        assertThat(lines).isBetween(authRequests, authRequests + 2 * 32 + 10);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM, as Kubernetes stops a pod: queued audit lines must still come out
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the verifier stops within 30 s of SIGTERM").isTrue();
    }

    /** CPU time the process used so far (all its threads: event loops, audit writer, GC). */
    private static long cpuMicros(Process p) {
        return p.info().totalCpuDuration().orElseThrow().toNanos() / 1000;
    }

    private static String uptime() {
        try {
            String line = Files.readString(Path.of("/proc/loadavg")).trim();
            return "load " + line.substring(0, line.indexOf(' ', line.indexOf(' ', line.indexOf(' ') + 1) + 1));
        } catch (IOException e) {
            return "load unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
