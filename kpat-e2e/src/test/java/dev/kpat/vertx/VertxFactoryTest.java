package dev.kpat.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpat's servers must run with a read-only root file system: Vert.x must not create its {@code vertx-cache-*}
 * directory. Checked in a JVM of its own, whose {@code java.io.tmpdir} is an empty directory.
 */
class VertxFactoryTest {
    @Test
    void optionsDisableTheFileCacheAndClasspathResolving() {
        var fs = VertxFactory.options().getFileSystemOptions();
        assertThat(fs.isFileCachingEnabled()).isFalse();
        assertThat(fs.isClassPathResolvingEnabled()).isFalse();
    }

    @Test
    void startingTheServersWritesNothingToTheTempDirectory(@TempDir Path tmp) throws Exception {
        var result = new JavaProcess().systemProperty("java.io.tmpdir", tmp.toString()).run(StartServers.class);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("healthz 200").doesNotContain("healthz 5")
                .containsPattern("(?m)^tmp: \\[\\]$");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).noneMatch(p -> p.getFileName().toString().startsWith("vertx-cache"));
        }
    }

    @Test
    void aDefaultVertxWouldHaveCreatedItsCache(@TempDir Path tmp) throws Exception {
        var result = new JavaProcess().systemProperty("java.io.tmpdir", tmp.toString())
                .run(StartServers.class, "default");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).containsPattern("tmp: \\[.*vertx-cache-");
    }
}
