package dev.kpat.testing;

import dev.kpat.cli.Main;
import dev.kpat.localcluster.ControlPlaneBinaries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * {@code kubectl pat} installed as a user installs it: a bin directory on PATH holding {@code kubectl-pat} and
 * {@code kubectl_complete-pat} (links to operator/bin's scripts) and the real kubectl, which finds the plugin there.
 * The script starts {@code java -jar $KPAT_JAR pat ...}; {@code KPAT_JAR} is a launcher jar whose manifest names
 * this build's classes and dependencies (the shaded jar is only built after the tests), without the test classes,
 * so the plugin runs with the logging configuration it ships.
 */
public final class PatPlugin {
    private static final Path SCRIPTS = Path.of("bin").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path launcher;

    private PatPlugin(Path bin, Path launcher) {
        this.bin = bin;
        this.launcher = launcher;
    }

    /** Installs the plugin into {@code dir}/bin next to {@code binaries}' kubectl. */
    public static PatPlugin install(ControlPlaneBinaries binaries, Path dir) {
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.createSymbolicLink(bin.resolve("kubectl-pat"), SCRIPTS.resolve("kubectl-pat"));
            Files.createSymbolicLink(bin.resolve("kubectl_complete-pat"), SCRIPTS.resolve("kubectl_complete-pat"));
            Files.createSymbolicLink(bin.resolve("kubectl"), binaries.kubectl());
            return new PatPlugin(bin, launcherJar(dir.resolve("kpat-launcher.jar")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar that runs {@link Main} on this build's runtime classpath: what the shaded jar would hold. */
    public static Path launcherJar(Path jar) throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes"))
                .map(e -> Path.of(e).toUri().toString())
                .collect(Collectors.joining(" "));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            return jar;
        }
    }

    public Path bin() {
        return bin;
    }

    public Path launcher() {
        return launcher;
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
        pb.environment().put("KPAT_JAR", launcher.toString());
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
