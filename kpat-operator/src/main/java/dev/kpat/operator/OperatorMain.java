package dev.kpat.operator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar kpat-operator.jar run}: the operator process (the chart's operator Deployment). */
@Command(name = "kpat-operator", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "The kpat operator: issues, rotates, expires and revokes Personal Access Tokens.",
        subcommands = RunCommand.class)
public class OperatorMain implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new OperatorMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
