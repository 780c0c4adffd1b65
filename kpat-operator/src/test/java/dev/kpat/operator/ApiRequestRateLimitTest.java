package dev.kpat.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.EmbeddedCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code run --kube-api-qps/--kube-api-burst} as parsed by picocli, installed in a real Fabric8 client talking to the
 * mock API server: the requests that reach the server are spaced by the rate, Lease requests are not held back, and
 * without the flags nothing is.
 */
class ApiRequestRateLimitTest {
    private static final int REQUESTS = 21;

    @Test
    void theFlagsSpaceTheRequestsTheServerReceives() {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            // burst 1 at 10/s: the first request goes at once, the next 20 one every 100 ms
            Duration limited = timeOf(cluster, REQUESTS, false, "--kube-api-qps=10", "--kube-api-burst=1");
            assertThat(limited).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(20));
            assertThat(timeOf(cluster, REQUESTS, true, "--kube-api-qps=10", "--kube-api-burst=1"))
                    .as("Lease requests are exempt").isLessThan(Duration.ofMillis(1500));
            assertThat(timeOf(cluster, REQUESTS, false)).as("no limit by default").isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void burstDefaultsToTwiceTheRateAndBadValuesAreUsageErrors() {
        assertThat(parse("--kube-api-qps=20").burst()).isEqualTo(40);
        assertThat(parse("--kube-api-qps=0.2").burst()).isEqualTo(1);
        assertThat(parse("--kube-api-qps=5", "--kube-api-burst=3").burst()).isEqualTo(3);
        RunCommand run = new RunCommand();
        CommandLine line = new CommandLine(run);
        line.parseArgs("--kube-api-qps=-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(run.apiRate::validate)
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--kube-api-qps");
    }

    private static ApiRateOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        run.apiRate.validate();
        return run.apiRate;
    }

    private static Duration timeOf(EmbeddedCluster cluster, int requests, boolean leases, String... args) {
        ApiRateOptions options = parse(args);
        var config = cluster.client().getConfiguration();
        try (KubernetesClient client = options.apply(new KubernetesClientBuilder().withConfig(config)).build()) {
            client.configMaps().inNamespace("default").list();
            long start = System.nanoTime();
            for (int i = 1; i < requests; i++) {
                if (leases) {
                    client.leases().inNamespace("default").list();
                } else {
                    client.configMaps().inNamespace("default").list();
                }
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }
}
