package dev.kpat.verify;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar kpat-verifier.jar serve}: the verifier process (the chart's verifier Deployment). */
@Command(name = "kpat-verifier", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "The kpat verifier: answers who a token is and what it may do.",
        subcommands = VerifierCommand.class)
public class VerifierMain implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new VerifierMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
