package dev.kpat.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
                    .as("crds/%s differs from the Java model: run `mvn -B -q -pl kpat-api process-classes"
                            + " && cp kpat-api/target/classes/META-INF/kpat/crds/*.yml crds/"
                            + " && cp crds/*.yml helm/kpat/files/crds/`", g.getFileName())
                    .isEqualTo(Files.readString(g));
            assertThat(Files.readString(CHART.resolve(g.getFileName())))
                    .as("helm/kpat/files/crds/%s differs from crds/: copy it", g.getFileName())
                    .isEqualTo(Files.readString(g));
        }
    }

    /**
     * The generator sorts printer columns by JSON path; the build (src/build/PrinterColumnOrder.java) puts them back
     * in the model's order, so {@code kubectl get pat} reads Ready ... Age, Age last.
     */
    @Test
    void printerColumnsFollowTheModelsDeclarationOrder() throws IOException {
        for (Class<?> kind : List.of(PersonalAccessToken.class, TokenRecord.class, TokenPolicy.class,
                ClusterTokenPolicy.class)) {
            String plural = kind.getAnnotation(io.fabric8.kubernetes.model.annotation.Plural.class).value();
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(
                    GENERATED.resolve(plural + ".kpat.dev-v1.yml")), CustomResourceDefinition.class);
            assertThat(crd.getSpec().getNames().getCategories()).as(plural).containsExactly("kpat");
            assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                    .extracting(CustomResourceColumnDefinition::getName).as(plural)
                    .containsExactlyElementsOf(Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                            .map(AdditionalPrinterColumn::name).toList());
        }
        CustomResourceDefinition pats = Serialization.unmarshal(Files.readString(
                GENERATED.resolve("personalaccesstokens.kpat.dev-v1.yml")), CustomResourceDefinition.class);
        assertThat(pats.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Ready", "Owner", "Scopes", "Phase", "Expires", "Last Used", "Age");
    }
}
