package dev.kpat.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl pat status NAME}: everything about one token, and what to do next when it is unwell. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a token: its conditions, current and superseded records (never values), its Secret's"
                + " metadata, recent Events, and what to do next for each failure reason."})
class StatusCommand extends PatSubcommand {
    @Parameters(paramLabel = "NAME", description = "The token.")
    String name;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    int run(KubernetesClient client, String namespace) throws Exception {
        TokenStatusReport report = new TokenStatusReader(client, clock().instant()).read(namespace, name);
        switch (output) {
            case table -> out().print(StatusText.render(report, clock().instant()));
            case name -> out().println(Output.name(name));
            default -> Output.print(out(), output, report);
        }
        return PatExit.OK;
    }
}
