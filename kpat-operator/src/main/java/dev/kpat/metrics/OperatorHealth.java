package dev.kpat.metrics;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;

/**
 * Liveness and readiness from the operator runtime's own view of its event sources (informers running and synced),
 * not a constant: an operator whose watches died answers 503 and is restarted by its liveness probe.
 */
public final class OperatorHealth {
    private final RuntimeInfo runtime;

    public OperatorHealth(Operator operator) {
        this.runtime = operator.getRuntimeInfo();
    }

    /**
     * Alive while starting (not started yet, or a standby replica whose controllers wait for the Lease: it has no
     * informers to be unhealthy) and while every started event source is healthy.
     */
    public boolean live() {
        return !runtime.isStarted() || runtime.allEventSourcesAreHealthy();
    }

    /** Ready once started with every event source running and synced (a standby has none, so it is ready). */
    public boolean ready() {
        return runtime.isStarted() && runtime.allEventSourcesAreHealthy();
    }
}
