package dev.kpat.cli;

import dev.kpat.api.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl pat rotate NAME}: a new value now, the current one revoked at once (after a leak). */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Issue a new value now and revoke the current one at once (after a leak): sets the "
                + Labels.ROTATE_ANNOTATION + " annotation to the current time.")
class RotateCommand extends PatSubcommand {
    @Parameters(paramLabel = "NAME", description = "The token.")
    String name;

    @Override
    int run(KubernetesClient client, String namespace) {
        String request = clock().instant().toString();
        TokenPatch.apply(client, namespace, name, "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_ANNOTATION
                + "\":\"" + request + "\"}}}");
        out().println(Output.name(name) + " rotation requested (" + Labels.ROTATE_ANNOTATION + "=" + request + ")");
        return PatExit.OK;
    }
}
