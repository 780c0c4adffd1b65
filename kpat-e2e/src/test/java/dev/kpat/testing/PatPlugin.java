package dev.kpat.testing;

import dev.kpat.localcluster.ControlPlaneBinaries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code kubectl pat} installed as a user installs it: a bin directory on PATH holding {@code kubectl-pat} and
 * {@code kubectl_complete-pat} (links to kpat-cli/bin's scripts) and the real kubectl, which finds the plugin there.
 * The script runs the module's runnable jar, kpat-cli/target/kpat-cli.jar ({@code KPAT_CLI_JAR}), as built by
 * {@code mvn package} (in a whole build, before this module's tests).
 */
public final class PatPlugin {
    private static final Path MODULE = Path.of("../kpat-cli").toAbsolutePath().normalize();
    public static final Path SCRIPTS = MODULE.resolve("bin");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path jar;

    private PatPlugin(Path bin, Path jar) {
        this.bin = bin;
        this.jar = jar;
    }

    /** Installs the plugin into {@code dir}/bin next to {@code binaries}' kubectl. */
    public static PatPlugin install(ControlPlaneBinaries binaries, Path dir) {
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.createSymbolicLink(bin.resolve("kubectl-pat"), SCRIPTS.resolve("kubectl-pat"));
            Files.createSymbolicLink(bin.resolve("kubectl_complete-pat"), SCRIPTS.resolve("kubectl_complete-pat"));
            Files.createSymbolicLink(bin.resolve("kubectl"), binaries.kubectl());
            return new PatPlugin(bin, jar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kpat-cli's runnable jar, checked to be newer than the module's classes (not left over from an older build). */
    public static Path jar() throws IOException {
        Path jar = MODULE.resolve("target/kpat-cli.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: mvn -pl kpat-cli -am package -DskipTests");
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> classes = Files.walk(MODULE.resolve("target/classes"))) {
            if (classes.filter(Files::isRegularFile).anyMatch(c -> newer(c, built))) {
                throw new AssertionError(jar + " is older than kpat-cli's classes: mvn -pl kpat-cli package -DskipTests");
            }
        }
        return jar;
    }

    private static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path bin() {
        return bin;
    }

    /** {@code kubectl pat ARGS} with {@code KUBECONFIG=kubeconfig}, as a user's shell runs it. */
    public Kubectl.Result pat(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "pat"));
        command.addAll(List.of(args));
        return run(command, Map.of("KUBECONFIG", kubeconfig.toString()));
    }

    /** Any command, found on a PATH that starts with the plugin's bin directory, with {@code env} added. */
    public Kubectl.Result run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + java.io.File.pathSeparator
                + Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + System.getenv("PATH"));
        pb.environment().put("KPAT_CLI_JAR", jar.toString());
        pb.environment().remove("KUBECONFIG");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                // the command, never its output: create's stdout is a token value
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Kubectl.Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
