package dev.kpat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.token.TokenFormat;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * wrk (Debian package {@code wrk}) with 32 keep-alive connections against {@code /v1/auth} with an active token, and
 * against the constant {@code /healthz} of the same server in the same run; audit lines go to a file through the
 * same asynchronous sink as in production (there, standard output). Run with
 * {@code mvn -B -pl operator -Pbench test -Dtest=HttpThroughputBench}.
 */
@Tag("bench")
class HttpThroughputBench {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

    @Test
    void authEndpointAgainstAConstantEndpoint() throws Exception {
        Path dir = Files.createTempDirectory("kpat-wrk");
        TokenFormat format = new TokenFormat("kpat_");
        TokenIndex index = new TokenIndex();
        String token = null;
        for (int n = 0; n < VerifyBenchmark.RECORDS; n++) {
            String value = format.generate().reveal();
            index.upsert(VerifyBenchmark.record(n, value));
            if (n == 0) {
                token = value;
            }
        }
        Path script = dir.resolve("auth.lua");
        Files.writeString(script, "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
        try (VerifierServer server = new VerifierServer(new TokenVerifier(index, Clock.systemUTC()),
                new UsageTracker(), AuditLog.to(Files.newOutputStream(dir.resolve("audit.log"))), new ClientAddress(List.of()), new FailureLimits(60, 20, java.time.Clock.systemUTC()),
                ApiServerCallers.anyone(), IntrospectionCallers.none(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, Clock.systemUTC())
                .start(new HttpServerOptions().setHost("127.0.0.1").setPort(0))) {
            String base = "http://127.0.0.1:" + server.port();
            wrk(base + "/healthz", null, "5s"); // warm-up of both paths
            wrk(base + "/v1/auth?scope=write:tasks", script, "5s");
            double[] constant = wrk(base + "/healthz", null, "15s");
            double[] auth = wrk(base + "/v1/auth?scope=write:tasks", script, "15s");
            System.out.printf("http: /healthz %.0f req/s p99 %.2f ms; /v1/auth %.0f req/s p99 %.2f ms;"
                    + " ratio %.2f (wrk -t2 -c32, server and wrk sharing 2 cores)%n",
                    constant[0], constant[1], auth[0], auth[1], auth[0] / constant[0]);
            assertThat(Files.size(dir.resolve("audit.log"))).isPositive();
        }
    }

    private static double[] wrk(String url, Path script, String duration) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("wrk", "-t2", "-c32", "-d" + duration, "--latency"));
        if (script != null) {
            cmd.addAll(List.of("-s", script.toString()));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).doesNotContain("Non-2xx");
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        assertThat(rps.find() && p99.find()).as(out).isTrue();
        double latency = Double.parseDouble(p99.group(1));
        double ms = switch (p99.group(2)) {
            case "us" -> latency / 1000;
            case "s" -> latency * 1000;
            default -> latency;
        };
        return new double[] {Double.parseDouble(rps.group(1)), ms};
    }
}
