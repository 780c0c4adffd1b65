package dev.kpat.testing;

import dev.kpat.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
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

/**
 * The {@code verifier} command as a separate OS process, as the chart runs it: HTTPS with a self-managed certificate
 * for {@code 127.0.0.1}, its CA bundle written to a file, the jar's logging; stdout (audit lines) and stderr in one
 * log file.
 */
public final class VerifierProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path caBundle;
    private final int port;

    private VerifierProcess(Process process, Path log, Path caBundle, int port) {
        this.process = process;
        this.log = log;
        this.caBundle = caBundle;
        this.port = port;
    }

    /**
     * Starts {@code verifier} with {@code args} after the ones chosen here (host, port, CA bundle file).
     *
     * @param dir where the log and the CA bundle go
     */
    public static VerifierProcess start(Path kubeconfig, Path dir, List<String> args) {
        int port = freePort();
        Path log = dir.resolve("verifier.log");
        Path caBundle = dir.resolve("verifier-ca.crt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + shippedLogbackConfig(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", Main.class.getName(), "verifier", "--host=127.0.0.1", "--port=" + port,
                "--ca-bundle-file=" + caBundle));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().remove("POD_NAMESPACE");
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(caBundle);
            return new VerifierProcess(pb.start(), log, caBundle, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the verifier process", e);
        }
    }

    public int port() {
        return port;
    }

    public Path caBundle() {
        return caBundle;
    }

    public long pid() {
        return process.pid();
    }

    /** An HTTPS client trusting the verifier's CA (its bundle must have been written). */
    public HttpClient client() {
        try {
            return TlsClients.trusting(Files.readString(caBundle), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the CA bundle is written and {@code /readyz} answers 200 (the index is synced). */
    public VerifierProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the verifier exited with " + process.exitValue() + " while starting; log:\n"
                        + log());
            }
            try {
                if (Files.size(caBundle) > 0 && client().send(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not written or not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            OperatorProcess.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the verifier was not ready within " + timeout + "; log:\n" + log());
    }

    /** Everything the process printed so far: logs and audit lines. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, waiting for the exit (its shutdown flushes usage and audit lines). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String shippedLogbackConfig() {
        try {
            var url = VerifierProcess.class.getClassLoader().getResource("logback.xml");
            if (url == null) {
                throw new IllegalStateException("logback.xml of the main resources is not on the classpath");
            }
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
