package dev.kpat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed CRDs in crds/ are exactly what the Java model generates: the build fails on drift. */
class GeneratedCrdsTest {
    private static final Path GENERATED = Path.of("target/classes/META-INF/kpat/crds");
    private static final Path COMMITTED = Path.of("../crds");
    /** The chart renders its CRDs from files/crds/ (templates, so upgrades update them): the same files. */
    private static final Path CHART = Path.of("../helm/kpat/files/crds");

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        List<Path> generated;
        try (Stream<Path> files = Files.list(GENERATED)) {
            generated = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(generated).extracting(p -> p.getFileName().toString())
                .contains("personalaccesstokens.kpat.dev-v1.yml", "tokenrecords.kpat.dev-v1.yml");
        for (Path g : generated) {
            Path c = COMMITTED.resolve(g.getFileName());
            assertThat(c).as("crds/%s is missing: copy it from %s", g.getFileName(), GENERATED).exists();
            assertThat(Files.readString(c))
                    .as("crds/%s differs from the Java model: run `mvn -B -q -pl operator process-classes"
                            + " && cp operator/target/classes/META-INF/kpat/crds/*.yml crds/`", g.getFileName())
                    .isEqualTo(Files.readString(g));
            assertThat(Files.readString(CHART.resolve(g.getFileName())))
                    .as("helm/kpat/files/crds/%s differs from crds/: copy it", g.getFileName())
                    .isEqualTo(Files.readString(g));
        }
    }
}
