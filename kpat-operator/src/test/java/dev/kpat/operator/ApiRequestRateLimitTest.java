package dev.kpat.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kpat.localcluster.EmbeddedCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code run --kube-api-qps/--kube-api-burst} as parsed by picocli and installed in a real Fabric8 client talking to
 * the mock API server: the requests are spaced by the rate (a lower bound, which load cannot make pass by accident).
 * Lease requests pass the bucket without waiting, and without the flags nothing is installed.
 */
class ApiRequestRateLimitTest {
    @Test
    void theFlagsSpaceTheRequestsTheServerReceives() {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            ApiRateOptions options = parse("--kube-api-qps=10", "--kube-api-burst=1");
            var config = cluster.client().getConfiguration();
            try (KubernetesClient client = options.apply(new KubernetesClientBuilder().withConfig(config)).build()) {
                client.configMaps().inNamespace("default").list();
                long start = System.nanoTime();
                // burst 1 at 10/s: after the first, one request every 100 ms
                for (int i = 0; i < 20; i++) {
                    client.configMaps().inNamespace("default").list();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
                        Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void leaseRequestsDoNotWaitOtherRequestsDo() {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            var http = cluster.client().getHttpClient();
            HttpRequest lease = http.newHttpRequestBuilder()
                    .uri(cluster.url() + "/apis/coordination.k8s.io/v1/namespaces/kpat-system/leases/kpat-operator")
                    .build();
            HttpRequest secrets = http.newHttpRequestBuilder().uri(cluster.url() + "/api/v1/secrets").build();
            ApiRequestRateLimit limit = new ApiRequestRateLimit(1, 1);
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                limit.before(null, lease, null);
            }
            limit.before(null, secrets, null);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("50 Leases and the burst")
                    .isLessThan(Duration.ofMillis(900));
            long second = System.nanoTime();
            limit.before(null, secrets, null);
            assertThat(Duration.ofNanos(System.nanoTime() - second)).as("the next waits a second at 1 qps")
                    .isGreaterThan(Duration.ofMillis(900));
        }
    }

    @Test
    void noFlagsNoLimitBurstDefaultsToTwiceTheRateAndBadValuesAreUsageErrors() {
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        assertThat(parse().apply(builder)).isSameAs(builder);
        assertThat(parse("--kube-api-qps=20").burst()).isEqualTo(40);
        assertThat(parse("--kube-api-qps=0.2").burst()).isEqualTo(1);
        assertThat(parse("--kube-api-qps=5", "--kube-api-burst=3").burst()).isEqualTo(3);
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--kube-api-qps=-1");
        assertThatThrownBy(run.apiRate::validate).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--kube-api-qps");
    }

    private static ApiRateOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        run.apiRate.validate();
        return run.apiRate;
    }
}
