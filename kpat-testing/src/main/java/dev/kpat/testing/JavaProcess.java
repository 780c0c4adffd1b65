package dev.kpat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM on the test classpath, as a user runs the jar: its own environment, system
 * properties, exit code, stdout and stderr. Used where the process boundary is the thing under test.
 */
public final class JavaProcess {
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> env = new java.util.HashMap<>();
    private final List<String> unsetEnv = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);

    public JavaProcess systemProperty(String key, String value) {
        jvmArgs.add("-D" + key + "=" + value);
        return this;
    }

    public JavaProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public JavaProcess unsetEnv(String... keys) {
        unsetEnv.addAll(List.of(keys));
        return this;
    }

    public JavaProcess timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs {@code mainClass} with {@code args}; the JVM is killed (and the test fails) past the timeout. */
    public Result run(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmArgs);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        unsetEnv.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("kpat-proc-", ".out");
        Path err = Files.createTempFile("kpat-proc-", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(mainClass.getSimpleName() + " " + String.join(" ", args)
                        + " did not exit within " + timeout + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
