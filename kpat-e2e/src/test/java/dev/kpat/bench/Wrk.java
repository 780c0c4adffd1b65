package dev.kpat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk (Debian package {@code wrk}) as a process: one thread, {@code connections} keep-alive connections. */
final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    /** What one run measured: throughput, the 99th percentile latency and the responses wrk counted. */
    record Result(double requestsPerSecond, double p99Millis, long requests) {
    }

    private final int connections;

    Wrk(int connections) {
        this.connections = connections;
    }

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs wrk against {@code url} for {@code seconds}; {@code script} (may be null) is a Lua file, e.g. one setting
     * a header. Every response must be 2xx: an error answer is fast and would flatter the figures.
     */
    Result run(String url, Path script, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--latency"));
        if (script != null) {
            cmd.addAll(List.of("-s", script.toString()));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).doesNotContain("Non-2xx").doesNotContain("Socket errors");
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        assertThat(rps.find() && p99.find() && requests.find()).as(out).isTrue();
        double latency = Double.parseDouble(p99.group(1));
        double ms = switch (p99.group(2)) {
            case "us" -> latency / 1000;
            case "s" -> latency * 1000;
            default -> latency;
        };
        return new Result(Double.parseDouble(rps.group(1)), ms, Long.parseLong(requests.group(1)));
    }

    /** A Lua script that sends {@code Authorization: Bearer <token>}, readable by its owner only. */
    static Path bearerScript(Path dir, String token) throws IOException {
        Path script = Files.createTempFile(dir, "bearer", ".lua",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(script, "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
    }
}
