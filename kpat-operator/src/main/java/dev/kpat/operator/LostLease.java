package dev.kpat.operator;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a replica does when it stops holding the Lease. Losing it while running (renewals failed past the deadline,
 * or another replica holds it) ends the process with exit code 1, so no reconcile runs without the Lease and
 * Kubernetes restarts the pod as a standby. Giving it up during shutdown (SIGTERM releases the Lease for a quick
 * handoff) does nothing more: the shutdown already stops the operator.
 *
 * <p>JOSDK's own exit-on-stop-leading is not used: it calls {@code System.exit} on the thread that stops the
 * operator, which within a shutdown hook blocks that hook forever, so SIGTERM never ended the process.
 */
final class LostLease implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LostLease.class);
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    /** From now on, giving up the Lease is part of the shutdown. */
    void shutdownStarted() {
        shuttingDown.set(true);
    }

    /** Called by the leader elector when this replica stops leading. */
    @Override
    public void run() {
        if (shuttingDown.get()) {
            return;
        }
        LOG.error("lost the leader election Lease: exiting, to rejoin as a standby after a restart");
        // not on the elector's thread: the shutdown hooks that exit runs stop the operator, which waits for it
        Thread exit = new Thread(() -> System.exit(1), "kpat-lost-lease");
        exit.start();
    }
}
