package dev.kpat.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of another JVM: {@code jcmd <pid> GC.class_histogram} runs a full GC first and lists what survives,
 * class by class, with the total on its last line.
 */
record HeapHistogram(long liveBytes, List<String> topClasses) {
    static HeapHistogram of(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("jcmd GC.class_histogram failed: " + out);
            }
            List<String> lines = out.lines().toList();
            String total = lines.stream().filter(l -> l.startsWith("Total")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Total in the histogram: " + out));
            long bytes = Long.parseLong(total.trim().split("\\s+")[2]);
            List<String> top = lines.stream().filter(l -> l.matches("^\\s*\\d+:.*")).limit(15).toList();
            return new HeapHistogram(bytes, top);
        } catch (IOException e) {
            throw new AssertionError("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
