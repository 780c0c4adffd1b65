package dev.kpat.faults;

import dev.kpat.testing.OperatorProcess;
import dev.kpat.testing.OperatorProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One operator process kept running as the kubelet keeps a pod's container running: started again whenever it
 * exits (a startup check or a Lease renewal failed under faults, say), each exit noted with its last log line.
 */
final class OperatorSupervisor {
    private final OperatorProcesses processes;
    private final Path kubeconfig;
    private final List<String> exits = new ArrayList<>();
    private OperatorProcess current;
    private int started;

    OperatorSupervisor(OperatorProcesses processes, Path kubeconfig) {
        this.processes = processes;
        this.kubeconfig = kubeconfig;
        start();
    }

    private void start() {
        started++;
        current = processes.start("operator-" + started, "kpat-faults-" + started, kubeconfig);
    }

    /** Starts the operator again if it has exited since the last call. */
    void ensureRunning() {
        if (current.isAlive()) {
            return;
        }
        exits.add(current.name() + ": " + why(current.log()));
        start();
    }

    /** The last ERROR line, or the one-line startup failure ({@code kpat: ...}), else the last line. */
    private static String why(String log) {
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(" ERROR ") || lines.get(i).startsWith("kpat:")) {
                return lines.get(i);
            }
        }
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }

    /** Why each process that exited on its own did, in order. */
    List<String> exits() {
        return List.copyOf(exits);
    }

    OperatorProcess current() {
        return current;
    }
}
