package dev.kpat.cli;

import java.time.Clock;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar kpat-operator.jar <command>}: the operator, the verifier and the demo in one jar. */
@Command(name = "kpat-operator", mixinStandardHelpOptions = true, version = "kpat 0.1.0",
        description = "Personal Access Tokens for Kubernetes.",
        subcommands = {RunCommand.class, VerifierCommand.class, DemoCommand.class, LocalClusterCommand.class})
public class Main implements Runnable {
    public static void main(String[] args) {
        boolean plugin = args.length > 0 && "pat".equals(args[0]);
        if (plugin) {
            PatCommand.useQuietLogging();
        }
        // the plugin's help and errors speak of "kubectl pat", as the user typed it
        CommandLine commandLine = plugin ? PatCommand.commandLine(Clock.systemUTC()) : commandLine();
        int code = commandLine.execute(plugin ? Arrays.copyOfRange(args, 1, args.length) : args);
        // picocli's writers flush on println only: what a command print()ed is lost at exit otherwise
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(code);
    }

    public static CommandLine commandLine() {
        return commandLine(Clock.systemUTC());
    }

    /** @param clock the time {@code pat} goes by */
    public static CommandLine commandLine(Clock clock) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .addSubcommand("pat", PatCommand.commandLine(clock));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
