package dev.kpat.operator;

import dev.kpat.token.Durations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The leader election flags of {@code run}: whether replicas elect a leader, where the Lease is, and its timings. */
public class LeaderElectionOptions {
    /** The Lease the replicas compete for. */
    public static final String LEASE_NAME = "kpat-operator";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Only the replica holding the Lease reconciles, so several may run (default: ${DEFAULT-VALUE}).")
    boolean enabled;

    @Option(names = "--leader-election-namespace",
            description = "Namespace of the Lease (default: $POD_NAMESPACE, else the client's namespace).")
    String namespace;

    @Option(names = "--leader-election-lease-duration", defaultValue = "15s", paramLabel = "DURATION",
            description = "How long the Lease holds without a renewal: a standby takes over at most this long after"
                    + " the leader died (default: ${DEFAULT-VALUE}).")
    String leaseDuration;

    @Option(names = "--leader-election-renew-deadline", defaultValue = "10s", paramLabel = "DURATION",
            description = "How long the leader tries to renew before it gives up the lead and exits; shorter than"
                    + " the lease duration (default: ${DEFAULT-VALUE}).")
    String renewDeadline;

    @Option(names = "--leader-election-retry-period", defaultValue = "2s", paramLabel = "DURATION",
            description = "How often a replica tries to acquire or renew the Lease; shorter than the renew deadline"
                    + " (default: ${DEFAULT-VALUE}).")
    String retryPeriod;

    /**
     * Checks the timings before anything starts.
     *
     * @throws ParameterException when a timing is not a positive duration, or they are not ordered
     *                            retry period &lt; renew deadline &lt; lease duration
     */
    void validate() {
        Duration lease = duration("--leader-election-lease-duration", leaseDuration);
        Duration renew = duration("--leader-election-renew-deadline", renewDeadline);
        Duration retry = duration("--leader-election-retry-period", retryPeriod);
        // a leader must give up before its Lease can lapse, or two replicas could lead at once
        if (renew.compareTo(lease) >= 0 || retry.compareTo(renew) >= 0) {
            throw new ParameterException(command.commandLine(), "leader election needs retry period < renew deadline"
                    + " < lease duration; got " + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
        }
    }

    /**
     * The election to run, or null when it is off; {@link #validate()} first.
     *
     * @param lostLease what to do when this replica stops leading
     */
    LeaderElectionConfiguration configuration(KubernetesClient client, LostLease lostLease) {
        if (!enabled) {
            return null;
        }
        String ns = namespace != null ? namespace
                : System.getenv("POD_NAMESPACE") != null ? System.getenv("POD_NAMESPACE")
                : client.getNamespace() != null ? client.getNamespace() : "default";
        // a replica that loses the Lease exits (LostLease, not JOSDK's exit), Kubernetes restarts it as a follower
        return new LeaderElectionConfiguration(LEASE_NAME, ns, Durations.parse(leaseDuration),
                Durations.parse(renewDeadline), Durations.parse(retryPeriod), identity(System.getenv("HOSTNAME")),
                new LeaderCallbacks(() -> { }, lostLease, leader -> { }), false);
    }

    /**
     * Unique per process, as client-go does it: the host name alone would let two replicas on one host (or in any
     * environment with the same HOSTNAME) both take themselves for the holder and reconcile at once.
     */
    static String identity(String hostname) {
        String host = hostname == null || hostname.isBlank() ? "kpat" : hostname;
        return host + "_" + UUID.randomUUID();
    }

    private Duration duration(String flag, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), flag + ": " + e.getMessage());
        }
        if (d.isZero() || d.isNegative()) {
            throw new ParameterException(command.commandLine(), flag + " must be positive");
        }
        return d;
    }
}
