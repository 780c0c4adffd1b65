package dev.kpat.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.reconcile.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale evidence, not part of the default suite ({@code mvn -B verify -Pscale}): N tokens (default 10,000,
 * {@code -Dkpat.scale.tokens=N}) are applied to the embedded API and must all become Active with exactly one live
 * record each. Prints the time it took and the operator's heap. Figures go to BENCHMARKS.md.
 */
@Tag("scale")
class ScaleTest {
    @Test
    void tenThousandTokensBecomeActive() throws Exception {
        int n = Integer.getInteger("kpat.scale.tokens", 10_000);
        try (OperatorHarness h = new OperatorHarness().start(OperatorSettings.defaults())) {
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> created = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                created.add(pool.submit(() -> h.client.resource(pat(h.ns, "t-" + id)).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
            pool.shutdown();
            long applied = System.nanoTime();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    h.client.resources(PersonalAccessToken.class).inNamespace(h.ns).list().getItems().stream()
                            .filter(p -> p.getStatus() != null && p.getStatus().getPhase() == Phase.Active)
                            .count() == n);
            long active = System.nanoTime();
            List<TokenRecord> records = h.client.resources(TokenRecord.class)
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems();
            assertThat(records).hasSize(n);
            assertThat(records).noneMatch(r -> r.getSpec().pending());
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("scale: %d tokens applied in %.1f s, all Active after %.1f s (%.0f tokens/s);"
                            + " JVM heap used after GC %d MiB (API mock server in the same JVM)%n",
                    n, (applied - start) / 1e9, (active - start) / 1e9, n / ((active - start) / 1e9),
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    private static PersonalAccessToken pat(String namespace, String name) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("user-" + name);
        spec.setScopes(List.of("read", "write:tasks"));
        spec.setTtl("30d");
        pat.setSpec(spec);
        return pat;
    }
}
