package dev.kpat.cli;

import java.time.Clock;
import picocli.CommandLine;

/** {@code kubectl pat ...}: the plugin's process (kpat-cli/bin/kubectl-pat runs this jar). */
public final class KubectlPat {
    /** Where the plugin's logging configuration is: WARN and above, on stderr, so stdout stays the output. */
    static final String LOGGING = "kpat/logback-pat.xml";

    private KubectlPat() {
    }

    public static void main(String[] args) {
        // before anything logs: kpat-runtime's logback.xml logs to stdout, where -o json and create's value go
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        CommandLine commandLine = commandLine();
        int code = commandLine.execute(args);
        // picocli's writers flush on println only: what a command print()ed was lost at exit ("list printed nothing")
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(code);
    }

    public static CommandLine commandLine() {
        return PatCommand.commandLine(Clock.systemUTC());
    }
}
