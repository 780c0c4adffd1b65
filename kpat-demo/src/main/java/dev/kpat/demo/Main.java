package dev.kpat.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar kpat-demo.jar demo|local-cluster}: the narrated demo (operator and verifier in-process) and the
 * local control plane launcher.
 */
@Command(name = "kpat-demo", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "Personal Access Tokens for Kubernetes.",
        subcommands = {DemoCommand.class, LocalClusterCommand.class})
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
