package dev.kpat.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneBinariesTest {
    @Test
    void theJarLooksWhereTheBuildScriptPutsTheBinaries() {
        // outside a checkout, local-cluster falls back to the cache of the version the jar was built with
        Path built = ControlPlaneBinaries.build(Path.of("../testcluster/build"));
        if (System.getenv("KPAT_K8S_CACHE") == null) {
            assertThat(ControlPlaneBinaries.defaultCache()).isEqualTo(built);
        }
        assertThat(built.getFileName().toString()).isEqualTo(ControlPlaneBinaries.pinnedVersion()).matches("1\\.\\d+\\.\\d+");
        assertThat(ControlPlaneBinaries.in(built).kubectl()).isExecutable();
    }

    @Test
    void aDirectoryWithoutTheBinariesIsNamedInOneLine(@TempDir Path empty) {
        assertThatThrownBy(() -> ControlPlaneBinaries.in(empty))
                .hasMessage("etcd not found in " + empty + " (testcluster/build builds it and prints the directory)");
    }
}
