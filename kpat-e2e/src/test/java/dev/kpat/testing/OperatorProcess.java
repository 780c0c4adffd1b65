package dev.kpat.testing;

import dev.kpat.operator.OperatorMain;
import dev.kpat.verify.VerifierMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The operator's {@code run} command (or the verifier's {@code serve}) as a separate OS process, on the test classpath with the logging the jar
 * ships: its own kubeconfig and HOSTNAME, stdout and stderr in one log file. It can be killed with SIGKILL, as a
 * node failure or OOM kill would, or stopped with SIGTERM.
 */
public final class OperatorProcess implements AutoCloseable {
    /** One client (one selector thread) for every probe and scrape of every process. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** An HTTP 403 or a Forbidden in a log line, not digits inside a timestamp, hint or id. */
    private static final Pattern FORBIDDEN = Pattern.compile("(?<![\\w.:])403(?!\\w)|(?i:forbidden)");

    private final String name;
    private final Process process;
    private final Path log;
    private final int metricsPort;

    private OperatorProcess(String name, Process process, Path log, int metricsPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts {@code run} with {@code args} (the metrics port is chosen here).
     *
     * @param hostname the HOSTNAME the process sees, as a pod's name
     * @param log      where stdout and stderr go
     */
    public static OperatorProcess start(String name, Path kubeconfig, String hostname, Path log, List<String> args) {
        return launch(name, kubeconfig, hostname, log, OperatorMain.class, "run", args);
    }

    /** As {@link #start}, with these JVM options instead of the small ones (a benchmark wants the full JIT). */
    public static OperatorProcess start(String name, Path kubeconfig, String hostname, Path log, List<String> args,
                                        List<String> jvmOptions) {
        return launch(name, kubeconfig, hostname, log, OperatorMain.class, "run", args, jvmOptions);
    }

    /**
     * Starts the verifier ({@code serve}, as its image does) with {@code args} the same way; its {@code --metrics-port} (metrics and health) is
     * chosen here, so {@link #awaitHealthy}, {@link #awaitReady} and {@link #get} work as for the operator.
     */
    public static OperatorProcess startVerifier(String name, Path kubeconfig, Path log, List<String> args) {
        return launch(name, kubeconfig, name, log, VerifierMain.class, "serve", args);
    }

    private static OperatorProcess launch(String name, Path kubeconfig, String hostname, Path log, Class<?> mainClass,
                                          String command, List<String> args) {
        // small and single-threaded GC: several of these share two cores with the control plane
        return launch(name, kubeconfig, hostname, log, mainClass, command, args,
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    private static OperatorProcess launch(String name, Path kubeconfig, String hostname, Path log, Class<?> mainClass,
                                          String command, List<String> args, List<String> jvmOptions) {
        int port = freePort();
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"),
                // the jar's logging (INFO for kpat, WARN for the client), not the quieter logback-test.xml
                "-Dlogback.configurationFile=" + shippedLogbackConfig()));
        line.addAll(jvmOptions);
        line.addAll(List.of(mainClass.getName(), command, "--metrics-port=" + port));
        line.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().remove("POD_NAMESPACE");
        pb.environment().remove("POD_NAME");
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOSTNAME", hostname);
        try {
            Files.createDirectories(log.getParent());
            return new OperatorProcess(name, pb.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + command + " process " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Where it serves /metrics and /healthz on loopback. */
    public int metricsPort() {
        return metricsPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until /healthz answers: the JVM is up and its metrics server listens (before the operator starts). */
    public OperatorProcess awaitHealthy(Duration timeout) {
        return awaitOk("/healthz", timeout);
    }

    /** Waits until /readyz answers 200: the operator's informers (or the verifier's index) have synced. */
    public OperatorProcess awaitReady(Duration timeout) {
        return awaitOk("/readyz", timeout);
    }

    private OperatorProcess awaitOk(String path, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while starting; log:\n"
                        + log());
            }
            try {
                if (get(path).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(name + " did not answer " + path + " with 200 within " + timeout + "; log:\n"
                + log());
    }

    /** GET {@code path} on the metrics port (metrics, health, readiness). */
    public HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: no shutdown hook, no lease release, requests in flight cut off. Returns once the process is gone. */
    public Instant kill() {
        Instant at = Instant.now();
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return at;
    }

    /** SIGTERM, as Kubernetes stops a pod; returns the exit code. */
    public int stop() {
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(30))) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
            throw new AssertionError(name + " did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the process printed so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log lines that report an HTTP 403 or a Forbidden answer: the operator lacks a right the chart should give. */
    public List<String> forbiddenLines() {
        return log().lines().filter(l -> FORBIDDEN.matcher(l).find()).toList();
    }

    /** Kills the process if it still runs: a test that failed half-way leaves nothing behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** A URL (logback reads it from inside kpat-runtime's jar as well as from its classes directory). */
    private static String shippedLogbackConfig() {
        var url = OperatorProcess.class.getClassLoader().getResource("logback.xml");
        if (url == null) {
            throw new IllegalStateException("logback.xml of kpat-runtime is not on the classpath");
        }
        return url.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
