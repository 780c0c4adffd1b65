package dev.kpat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.testing.PatPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The krew manifest template (plugins/krew/pat.yaml), rendered as krew-release-bot renders it, passes krew's own
 * checks, and the archive it describes works as krew installs it: files in a store directory, the bin a symlink to
 * it on PATH, no KPAT_CLI_JAR.
 */
class KrewManifestTest {
    private static final Path TEMPLATE = Path.of("../plugins/krew/pat.yaml");
    private static final Pattern ADD_URI_AND_SHA = Pattern.compile("\\{\\{\\s*addURIAndSha \"([^\"]+)\" \\.TagName\\s*}}");
    private static final String SHA256 = "0123456789abcdef".repeat(4);

    /** What krew-release-bot does with the template for a tag. */
    static String render(String template, String tag) {
        String withUri = ADD_URI_AND_SHA.matcher(template).replaceAll(m -> {
            String indent = indentOf(template, m.start());
            return Matcher.quoteReplacement("uri: " + m.group(1) + "\n" + indent + "sha256: " + SHA256);
        });
        return withUri.replaceAll("\\{\\{\\s*\\.TagName\\s*}}", tag);
    }

    private static String indentOf(String text, int position) {
        int lineStart = text.lastIndexOf('\n', position) + 1;
        return " ".repeat(position - lineStart);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void theRenderedManifestPassesKrewsChecks() throws Exception {
        Map<String, Object> plugin = map(new Load(LoadSettings.builder().build())
                .loadFromString(render(Files.readString(TEMPLATE), "v0.1.0")));
        assertThat(plugin.get("apiVersion")).isEqualTo("krew.googlecontainertools.github.com/v1alpha2");
        assertThat(plugin.get("kind")).isEqualTo("Plugin");
        // krew: the name is the file's name and what `kubectl <name>` calls
        assertThat(map(plugin.get("metadata")).get("name")).isEqualTo("pat");
        Map<String, Object> spec = map(plugin.get("spec"));
        assertThat((String) spec.get("version")).matches("v\\d+\\.\\d+\\.\\d+");
        assertThat((String) spec.get("shortDescription")).isNotBlank().hasSizeLessThanOrEqualTo(50);
        assertThat((String) spec.get("description")).isNotBlank();
        assertThat((String) spec.get("homepage")).startsWith("https://");
        List<Map<String, Object>> platforms = (List<Map<String, Object>>) (List<?>) spec.get("platforms");
        assertThat(platforms).isNotEmpty().allSatisfy(p -> {
            assertThat(p.get("selector")).isNotNull();
            assertThat((String) p.get("uri")).startsWith("https://").endsWith("/v0.1.0/kubectl-pat.tar.gz");
            assertThat((String) p.get("sha256")).matches("[0-9a-f]{64}");
            assertThat(p.get("bin")).isEqualTo("kubectl-pat");
            List<Map<String, Object>> files = (List<Map<String, Object>>) (List<?>) p.get("files");
            assertThat(files).extracting(f -> f.get("from"))
                    .containsExactlyInAnyOrder("kubectl-pat", "kubectl_complete-pat", "kpat-cli.jar");
            assertThat(files).extracting(f -> f.get("to")).containsOnly(".");
        });
    }

    @Test
    void theArchiveRunsAsKrewInstallsIt(@TempDir Path dir) throws Exception {
        // ~/.krew/store/pat/v0.1.0 holds the archive's files; ~/.krew/bin/kubectl-pat links to the bin
        Path store = Files.createDirectories(dir.resolve("store/pat/v0.1.0"));
        for (String script : List.of("kubectl-pat", "kubectl_complete-pat")) {
            Files.copy(PatPlugin.SCRIPTS.resolve(script), store.resolve(script));
        }
        Files.createSymbolicLink(store.resolve("kpat-cli.jar"), PatPlugin.jar());
        Path krewBin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(krewBin.resolve("kubectl-pat"), store.resolve("kubectl-pat"));
        Files.createSymbolicLink(krewBin.resolve("kubectl"), ControlPlaneBinaries.locate(null).kubectl());

        ProcessBuilder pb = new ProcessBuilder("kubectl", "pat", "--version");
        pb.environment().put("PATH", krewBin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        pb.environment().remove("KPAT_CLI_JAR");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("kpat 0.1.0\n");
    }
}
