package dev.kpat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar kpat-operator.jar <command>}: the operator, the verifier and the demo in one jar. */
@Command(name = "kpat-operator", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "Personal Access Tokens for Kubernetes.",
        subcommands = {RunCommand.class, VerifierCommand.class, DemoCommand.class, LocalClusterCommand.class,
                PatCommand.class})
public class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
