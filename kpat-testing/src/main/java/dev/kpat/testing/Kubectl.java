package dev.kpat.testing;

import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.localcluster.LocalControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary, as a user would, with a given kubeconfig. */
public final class Kubectl {
    private final Path binary;
    private final Path kubeconfig;

    public Kubectl(LocalControlPlane plane, Path kubeconfig) {
        this(plane.binaries(), kubeconfig);
    }

    public Kubectl(ControlPlaneBinaries binaries, Path kubeconfig) {
        this.binary = binaries.kubectl();
        this.kubeconfig = kubeconfig;
    }

    /** What kubectl printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} (a manifest for {@code -f -}), or none. */
    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", redacted(args)) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The arguments with any {@code --token} value replaced: a token never reaches test output. */
    static List<String> redacted(String... args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--token=")) {
                out.add("--token=<redacted>");
            } else {
                out.add(args[i]);
                if (args[i].equals("--token") && i + 1 < args.length) {
                    out.add("<redacted>");
                    i++;
                }
            }
        }
        return out;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
