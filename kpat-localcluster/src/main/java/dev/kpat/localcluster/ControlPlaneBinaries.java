package dev.kpat.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where etcd, kube-apiserver, kube-controller-manager and kubectl are. They are built from pinned Go modules by
 * {@code testcluster/build}, which prints the directory holding them as its last line; nothing is downloaded.
 */
public record ControlPlaneBinaries(Path dir) {
    public static final List<String> NAMES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");
    /** Environment variable naming a directory that already holds the binaries. */
    public static final String DIR_ENV = "KPAT_K8S_BIN";

    public Path etcd() {
        return dir.resolve("etcd");
    }

    public Path apiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return dir.resolve("kube-controller-manager");
    }

    public Path kubectl() {
        return dir.resolve("kubectl");
    }

    /** The binaries in {@code dir}, or an error naming the first one missing. */
    public static ControlPlaneBinaries in(Path dir) {
        for (String name : NAMES) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException(name + " not found in " + dir
                        + " (testcluster/build builds it and prints the directory)");
            }
        }
        return new ControlPlaneBinaries(dir.toAbsolutePath());
    }

    /**
     * The binaries from, in order: {@code explicitDir}, {@code $KPAT_K8S_BIN}, or {@code testcluster/build} found
     * in the working directory or one of its parents (it builds what is missing, once, into its cache).
     */
    public static ControlPlaneBinaries locate(Path explicitDir) {
        if (explicitDir != null) {
            return in(explicitDir);
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return in(Path.of(env));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path script = d.resolve("testcluster/build");
            if (Files.isExecutable(script)) {
                return in(build(script));
            }
        }
        Path cached = defaultCache();
        if (cached != null && Files.isExecutable(cached.resolve("kube-apiserver"))) {
            return in(cached);
        }
        throw new IllegalStateException("no Kubernetes binaries: pass --bin-dir, set " + DIR_ENV
                + ", or run from a kpat checkout (testcluster/build builds them)");
    }

    /** Where testcluster/build puts the pinned version: $KPAT_K8S_CACHE or ~/.cache/kpat/k8s, then the version. */
    static Path defaultCache() {
        String version = pinnedVersion();
        if (version == null) {
            return null;
        }
        String root = System.getenv("KPAT_K8S_CACHE");
        Path base = root != null && !root.isBlank() ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "kpat", "k8s");
        return base.resolve(version);
    }

    /** The k8s.io/kubernetes version testcluster/kubernetes/go.mod pins (packaged in the jar), without the "v". */
    static String pinnedVersion() {
        try (var in = ControlPlaneBinaries.class.getClassLoader()
                .getResourceAsStream("kpat/testcluster/kubernetes/go.mod")) {
            if (in == null) {
                return null;
            }
            var m = java.util.regex.Pattern.compile("(?m)^\\s*(?:require\\s+)?k8s\\.io/kubernetes\\s+v(\\S+)")
                    .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs the build script (its progress goes to our stderr) and returns the directory it printed last. */
    static Path build(Path script) {
        try {
            Process p = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed (exit " + p.exitValue() + ")");
            }
            return Path.of(out.substring(out.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the Kubernetes binaries", e);
        }
    }
}
