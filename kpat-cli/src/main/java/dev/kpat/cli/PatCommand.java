package dev.kpat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.audit.AuditRules;
import dev.kpat.audit.Finding;
import dev.kpat.audit.TokenAudit;
import dev.kpat.token.Durations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubectl pat}: everyday token chores and the compliance audit, from a workstation or a CI job. */
@Command(name = "pat", mixinStandardHelpOptions = true,
        description = "Manage personal access tokens (installed as the kubectl plugin 'kubectl pat').",
        subcommands = {PatCommand.ListTokens.class, PatCommand.Rotate.class, PatCommand.Revoke.class,
                PatCommand.Audit.class})
public class PatCommand implements Runnable {
    static final Clock CLOCK = Clock.systemUTC();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens like kubectl get pat.")
    static class ListTokens implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (KubernetesClient client = cluster.client()) {
                spec.commandLine().getOut().print(PatTable.render(cluster.list(client), CLOCK.instant()));
                return 0;
            }
        }
    }

    /** A command that patches one named token. */
    abstract static class PatchOne implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;
        @Parameters(paramLabel = "NAME")
        String name;
        @Spec
        CommandSpec spec;

        abstract String mergePatch();

        abstract String done();

        @Override
        public Integer call() throws Exception {
            try (KubernetesClient client = cluster.client()) {
                return patch(client, cluster, name, mergePatch(), spec.commandLine().getOut(),
                        spec.commandLine().getErr(), done());
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Issue a new value now and revoke the current one at once (after a leak).")
    static class Rotate extends PatchOne {
        private final String request = CLOCK.instant().toString();

        @Override
        String mergePatch() {
            return "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_ANNOTATION + "\":\"" + request + "\"}}}";
        }

        @Override
        String done() {
            return "rotation requested (" + Labels.ROTATE_ANNOTATION + "=" + request + ")";
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token for good: its records are revoked and its Secret deleted.")
    static class Revoke extends PatchOne {
        @Override
        String mergePatch() {
            return "{\"spec\":{\"revoked\":true}}";
        }

        @Override
        String done() {
            return "revoked";
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Compliance audit: non-expiring, wildcard, unused, expiring-without-rotation and failing tokens.")
    static class Audit implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;
        @Option(names = "--unused-after", defaultValue = "30d",
                description = "Flag tokens not used for this long (default: ${DEFAULT-VALUE}).")
        String unusedAfter;
        @Option(names = "--expiring-within", defaultValue = "7d",
                description = "Flag non-rotating tokens expiring within this (default: ${DEFAULT-VALUE}).")
        String expiringWithin;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
        String output;
        @Option(names = "--fail-on-findings", description = "Exit 3 when there are findings (for CI gates).")
        boolean failOnFindings;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            AuditRules rules = new AuditRules(Durations.parse(unusedAfter), Durations.parse(expiringWithin));
            try (KubernetesClient client = cluster.client()) {
                List<Finding> findings = new TokenAudit(rules).audit(cluster.list(client), CLOCK.instant());
                PrintWriter out = spec.commandLine().getOut();
                if ("json".equals(output)) {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(findings));
                } else {
                    out.print(render(findings));
                }
                out.flush();
                return failOnFindings && !findings.isEmpty() ? 3 : 0;
            }
        }

        private static String render(List<Finding> findings) {
            if (findings.isEmpty()) {
                return "No findings.\n";
            }
            StringBuilder sb = new StringBuilder(String.format("%-20s %-24s %-34s %-14s %s%n",
                    "NAMESPACE", "NAME", "OWNER", "RULE", "DETAIL"));
            for (Finding f : findings) {
                sb.append(String.format("%-20s %-24s %-34s %-14s %s%n", f.namespace(), f.name(), f.owner(), f.rule(),
                        f.detail()));
            }
            return sb.append(findings.size()).append(" finding(s)\n").toString();
        }
    }

    private static int patch(KubernetesClient client, ClusterOptions cluster, String name, String mergePatch,
                             PrintWriter out, PrintWriter err, String done) {
        String ns = cluster.namespace(client);
        var resource = client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name);
        if (resource.get() == null) {
            err.println("personalaccesstoken " + ns + "/" + name + " not found");
            err.flush();
            return 1;
        }
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
        out.println("personalaccesstoken.kpat.dev/" + name + " " + done);
        out.flush();
        return 0;
    }
}
