package dev.kpat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's standard output from its pipe as it comes and appends it to a file, as a container runtime does
 * with a container's stdout (containerd's shim copies the pipe into the pod's log file). A process writing faster
 * than the pipe is drained blocks, so the drain is part of what a benchmark of that process measures.
 */
final class PipeDrain implements AutoCloseable {
    private final Thread thread;
    private volatile IOException failure;

    PipeDrain(InputStream pipe, Path file) {
        this.thread = new Thread(() -> copy(pipe, file), "stdout-drain");
        thread.setDaemon(true);
        thread.start();
    }

    private void copy(InputStream pipe, Path file) {
        byte[] buffer = new byte[1 << 16];
        try (pipe; OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = pipe.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Waits until the process closed its end (it exited) and everything is in the file. */
    @Override
    public void close() throws InterruptedException {
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the process's stdout was still open 30 s after it should have ended");
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }
}
