package dev.kpat.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats and writes audit lines on one background thread, a batch per write, from a lock-free queue of decisions,
 * so request threads neither format nor wait on the output. The queue is bounded: when it is full, writers wait for
 * room rather than drop lines (an audit trail with holes is worse than a slower verifier).
 */
public final class AuditSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);
    private static final int CAPACITY = 65_536;

    private final ConcurrentLinkedQueue<AuditLog.Entry> queue = new ConcurrentLinkedQueue<>();
    /** Lines queued (counted in stripes: event loops add at once) and lines taken off: the queue holds the rest. */
    private final LongAdder queued = new LongAdder();
    private volatile long taken;
    private final OutputStream out;
    private final JsonGenerator json;
    private final IsoTimes times = new IsoTimes();
    private final Thread writer;
    private volatile boolean closed;

    public AuditSink(OutputStream target) {
        this.out = new BufferedOutputStream(target, 1 << 16);
        this.json = AuditLog.generator(out);
        this.writer = new Thread(this::drainLoop, "kpat-audit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Standard output, through {@code System.out}: logback's console lines go there too, and its lock keeps a log
     * line from landing inside an audit batch (a pipe splits writes larger than 4 KiB between writers).
     */
    static AuditSink toStdout() {
        return new AuditSink(System.out);
    }

    void write(AuditLog.Entry entry) {
        while (queued.sum() - taken >= CAPACITY && !closed) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
        queue.add(entry);
        queued.increment();
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
        AuditLog.Entry entry = queue.poll();
        if (entry == null) {
            return false;
        }
        long lines = 0;
        try {
            while (entry != null) {
                if (++lines == 1024) {
                    taken += lines; // only this thread writes it
                    lines = 0;
                }
                AuditLog.write(json, times.format(entry.time()), entry);
                json.writeRaw('\n');
                entry = queue.poll();
            }
            json.flush(); // the generator's buffer, then ours, then the target
        } catch (IOException e) {
            LOG.warn("audit output failed: {}", e.getMessage());
        } finally {
            taken += lines;
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
