package dev.kpat.cli;

import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pat}: everyday token chores and the compliance audit, from a workstation or a CI job. Installed as
 * the kubectl plugin {@code kubectl-pat} (kpat-cli/bin), which runs {@code kpat-cli.jar} ({@link KubectlPat}).
 */
@Command(name = "pat", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "Manage personal access tokens (the kubectl plugin 'kubectl pat').",
        subcommands = {ListCommand.class, CreateCommand.class, StatusCommand.class, RotateCommand.class,
                RevokeCommand.class, AuditCommand.class, CompletionCommand.class, CompleteCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:done",
            "1:other error (the API refused the request, unreadable kubeconfig)",
            "2:wrong command line",
            "3:audit --fail-on-findings found something",
            "4:not found",
            "5:forbidden (HTTP 401/403)",
            "6:cannot reach the Kubernetes API (or no kubeconfig)",
            "7:create: the token failed or was not Ready in time"})
public class PatCommand implements Runnable {
    private final Clock clock;

    @Spec
    CommandSpec spec;

    public PatCommand() {
        this(Clock.systemUTC());
    }

    /** @param clock the time {@code list}, {@code status}, {@code audit} and {@code rotate} go by */
    public PatCommand(Clock clock) {
        this.clock = clock;
    }

    /** The plugin, named as users invoke it. */
    public static CommandLine commandLine(Clock clock) {
        CommandLine commandLine = new CommandLine(new PatCommand(clock)).setCommandName("kubectl pat")
                .setCaseInsensitiveEnumValuesAllowed(true);
        CompleteCommand.takeEveryWord(commandLine.getSubcommands().get(CompleteCommand.NAME));
        return commandLine;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
