package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl pat list}: the tokens of a namespace (or all), as a table, JSON, YAML or names. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List tokens (the columns of kubectl get pat).")
class ListCommand extends PatSubcommand {
    @Option(names = {"-A", "--all-namespaces"}, description = "Tokens of every namespace, with a NAMESPACE column.")
    boolean allNamespaces;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    int run(KubernetesClient client, String namespace) throws Exception {
        List<PersonalAccessToken> pats = tokens(client, namespace, allNamespaces);
        switch (output) {
            case table -> {
                if (pats.isEmpty()) {
                    // kubectl's wording, on stderr, so scripts reading stdout see nothing
                    err().println(allNamespaces ? "No resources found"
                            : "No resources found in " + namespace + " namespace.");
                } else {
                    out().print(PatTable.render(pats, clock().instant(), allNamespaces));
                }
            }
            case name -> pats.forEach(p -> out().println(Output.name(p.getMetadata().getName())));
            default -> Output.print(out(), output, Output.list(pats));
        }
        return PatExit.OK;
    }

    static List<PersonalAccessToken> tokens(KubernetesClient client, String namespace, boolean allNamespaces) {
        var pats = client.resources(PersonalAccessToken.class);
        return allNamespaces ? pats.inAnyNamespace().list().getItems()
                : pats.inNamespace(namespace).list().getItems();
    }
}
