package dev.kpat.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code run} flags of leader election: timings reach the Lease configuration, and bad ones stop the start. */
class LeaderElectionOptionsTest {
    private static LeaderElectionConfiguration parse(String... args) {
        CommandLine line = OperatorMain.commandLine();
        CommandLine.ParseResult parsed = line.parseArgs(args);
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        run.leaderElection.validate();
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            return run.leaderElection.configuration(client, new LostLease());
        }
    }

    @Test
    void defaultsAreClientGoTimingsAndFlagsOverrideThem() {
        LeaderElectionConfiguration defaults = parse("run", "--leader-election-namespace=ops");
        assertThat(defaults.getLeaseName()).isEqualTo("kpat-operator");
        assertThat(defaults.getLeaseNamespace()).contains("ops");
        assertThat(defaults.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));

        LeaderElectionConfiguration fast = parse("run", "--leader-election-namespace=ops",
                "--leader-election-lease-duration=4s", "--leader-election-renew-deadline=3s",
                "--leader-election-retry-period=500ms");
        assertThat(fast.getLeaseDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(fast.getRenewDeadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fast.getRetryPeriod()).isEqualTo(Duration.ofMillis(500));
        // losing the Lease is handled by LostLease, not by JOSDK's System.exit (which deadlocks on SIGTERM)
        assertThat(fast.isExitOnStopLeading()).isFalse();
        assertThat(fast.getLeaderCallbacks()).isPresent();

        assertThat(parse("run", "--no-leader-election")).isNull();
    }

    @Test
    void timingsThatLetTwoReplicasLeadAreRefusedBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        int code = OperatorMain.commandLine().setErr(new PrintWriter(err)).execute("run",
                "--leader-election-lease-duration=10s", "--leader-election-renew-deadline=10s");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("retry period < renew deadline < lease duration");

        err = new StringWriter();
        code = OperatorMain.commandLine().setErr(new PrintWriter(err)).execute("run", "--leader-election-retry-period=soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--leader-election-retry-period", "'soon' is not a duration");
    }

    @Test
    void replicasOnOneHostHaveDistinctIdentities() {
        String a = LeaderElectionOptions.identity("kpat-operator-0");
        String b = LeaderElectionOptions.identity("kpat-operator-0");
        assertThat(a).startsWith("kpat-operator-0_").isNotEqualTo(b);
        assertThat(LeaderElectionOptions.identity(null)).startsWith("kpat_");
    }
}
