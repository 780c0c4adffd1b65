package dev.kpat.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A {@code kubectl pat} command that talks to the cluster: it gets a client for the chosen kubeconfig, context and
 * namespace, and whatever goes wrong becomes ONE line on stderr ({@code error: ...}) and a {@link PatExit} code.
 * Output is flushed before the command returns: the process exits right after.
 */
abstract class PatSubcommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;
    @Spec
    CommandSpec spec;
    @ParentCommand
    PatCommand pat;

    /** The command's work; returns its exit code. */
    abstract int run(KubernetesClient client, String namespace) throws Exception;

    @Override
    public final Integer call() {
        try (KubernetesClient client = cluster.client()) {
            return run(client, cluster.namespace(client));
        } catch (Exception | LinkageError e) {
            PatFailure failure = PatErrors.classify(e, cluster.server());
            err().println("error: " + failure.getMessage());
            return failure.exitCode();
        } finally {
            out().flush();
            err().flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Clock clock() {
        return pat.clock();
    }
}
