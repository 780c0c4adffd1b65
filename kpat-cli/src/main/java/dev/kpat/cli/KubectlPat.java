package dev.kpat.cli;

import picocli.CommandLine;

/** {@code kubectl pat ...}: the plugin's process (kpat-cli/bin/kubectl-pat runs this jar). */
public final class KubectlPat {
    private KubectlPat() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new PatCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
