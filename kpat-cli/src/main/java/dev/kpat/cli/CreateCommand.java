package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl pat create NAME --scope ...}: creates the token, waits until the operator has issued it and prints
 * the value, once, on stdout (so {@code TOKEN=$(kubectl pat create ...)} works); progress and the warning that it is
 * not shown again go to stderr.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a token, wait until it is Ready and print its value once.",
            "The value goes to stdout, everything else to stderr: TOKEN=$(kubectl pat create ci --scope read)."})
class CreateCommand extends PatSubcommand {
    @Parameters(paramLabel = "NAME", description = "The token's name.")
    String name;

    @Option(names = {"-s", "--scope"}, required = true, split = ",", paramLabel = "SCOPE",
            description = "What the token may do: '*', an action (read) or action:resource (write:tasks);"
                    + " repeat or separate with commas.")
    List<String> scopes;

    @ArgGroup(exclusive = true)
    Lifetime lifetime;

    static class Lifetime {
        @Option(names = "--ttl", paramLabel = "DURATION",
                description = "Lifetime of each value: 30d, 720h, 90m (default: the operator's, 90d).")
        String ttl;
        @Option(names = "--expires-at", paramLabel = "TIME", description = "Fixed expiry, RFC 3339.")
        String expiresAt;
    }

    @Option(names = "--owner", paramLabel = "USER",
            description = "Whom the token acts for: a user or system:serviceaccount:NS:NAME (default: you).")
    String owner;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
    String description;

    @Option(names = "--rotate", description = "Scheduled rotation: a new value before the current one expires.")
    boolean rotate;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait until the token is Ready and print its value (default); --no-wait only creates it.")
    boolean waitForReady;

    @Option(names = "--timeout", defaultValue = "2m", paramLabel = "DURATION",
            description = "How long to wait for Ready (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    int run(KubernetesClient client, String namespace) {
        Duration limit = PatFailure.duration("--timeout", timeout);
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        pat.setSpec(spec(client));
        client.resource(pat).create();
        err().println(Output.name(name) + " created in namespace " + namespace);
        if (!waitForReady) {
            return PatExit.OK;
        }
        ReadyWait.Issued issued = new ReadyWait(client, err(), clock()).await(namespace, name, limit);
        out().println(issued.value().reveal());
        out().flush();
        err().println("warning: this is the only time kubectl pat shows the value: store it now. Workloads read it"
                + " from Secret " + namespace + "/" + issued.secretName() + " (key \"token\"); if it is lost,"
                + " kubectl pat rotate " + name + " issues a new one.");
        return PatExit.OK;
    }

    private PersonalAccessTokenSpec spec(KubernetesClient client) {
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(owner != null ? owner : currentUser(client));
        spec.setScopes(scopes);
        spec.setDescription(description);
        if (lifetime != null) {
            spec.setTtl(lifetime.ttl);
            spec.setExpiresAt(lifetime.expiresAt);
        }
        if (rotate) {
            RotationSpec rotation = new RotationSpec();
            rotation.setEnabled(true);
            spec.setRotation(rotation);
        }
        return spec;
    }

    /** Who the credentials in use are (SelfSubjectReview, as kubectl auth whoami asks). */
    private static String currentUser(KubernetesClient client) {
        try {
            SelfSubjectReview review = client.resource(new SelfSubjectReview()).create();
            String user = review.getStatus() == null || review.getStatus().getUserInfo() == null ? null
                    : review.getStatus().getUserInfo().getUsername();
            if (user != null && !user.isEmpty()) {
                return user;
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 0) {
                throw e;
            }
            // an API server without SelfSubjectReview: say what to do instead
        }
        throw new PatFailure(PatExit.ERROR, "cannot tell who you are (the API server did not answer a"
                + " SelfSubjectReview): pass --owner");
    }
}
