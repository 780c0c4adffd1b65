package dev.kpat.logging;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --log-format} and {@code --log-level}: a picocli mixin of the long-running commands (operator, verifier). */
public class LoggingOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
            description = "text, or json: one JSON object per line with the token's namespace, name and id as"
                    + " fields (default: ${DEFAULT-VALUE}).")
    LogSetup.Format format;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Level of kpat's own log lines: error, warn, info, debug or trace (default: info, or"
                    + " $KPAT_LOG_LEVEL).")
    String level;

    /** Applies both to the logging the jar ships; a bad level is a usage error, reported like any bad flag. */
    public void apply() {
        if (level != null && !level.matches("(?i)error|warn|info|debug|trace")) {
            throw new ParameterException(command.commandLine(), "--log-level must be error, warn, info, debug or trace");
        }
        LogSetup.apply(format, level);
    }
}
