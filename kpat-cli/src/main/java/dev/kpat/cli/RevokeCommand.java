package dev.kpat.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl pat revoke NAME}: {@code spec.revoked: true}, for good. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a token for good: its records are revoked and its Secret deleted.")
class RevokeCommand extends PatSubcommand {
    @Parameters(paramLabel = "NAME", description = "The token.")
    String name;

    @Override
    int run(KubernetesClient client, String namespace) {
        TokenPatch.apply(client, namespace, name, "{\"spec\":{\"revoked\":true}}");
        out().println(Output.name(name) + " revoked");
        return PatExit.OK;
    }
}
