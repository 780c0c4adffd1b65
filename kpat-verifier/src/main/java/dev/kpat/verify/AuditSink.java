package dev.kpat.verify;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit lines from a lock-free queue on one background thread, a batch per write, so request threads never
 * wait on the output. The queue is bounded: when it is full, writers wait for room rather than drop lines (an audit
 * trail with holes is worse than a slower verifier).
 */
public final class AuditSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);
    private static final int CAPACITY = 65_536;

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final OutputStream out;
    private final Thread writer;
    private volatile boolean closed;

    public AuditSink(OutputStream target) {
        this.out = new BufferedOutputStream(target, 1 << 16);
        this.writer = new Thread(this::drainLoop, "kpat-audit");
        writer.setDaemon(true);
        writer.start();
    }

    public void write(String line) {
        while (size.get() >= CAPACITY && !closed) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
        queue.add(line);
        size.incrementAndGet();
    }

    private void drainLoop() {
        while (!closed || !queue.isEmpty()) {
            if (!drain()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Writes what is queued; false when there was nothing. */
    private boolean drain() {
        String line = queue.poll();
        if (line == null) {
            return false;
        }
        try {
            while (line != null) {
                size.decrementAndGet();
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                line = queue.poll();
            }
            out.flush();
        } catch (IOException e) {
            LOG.warn("audit output failed: {}", e.getMessage());
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
