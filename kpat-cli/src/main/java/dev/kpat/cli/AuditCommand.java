package dev.kpat.cli;

import dev.kpat.audit.AuditRules;
import dev.kpat.audit.Finding;
import dev.kpat.audit.TokenAudit;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl pat audit}: the compliance audit of live tokens, for people and for CI gates. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Compliance audit: non-expiring, wildcard, unused, expiring-without-rotation and failing tokens.")
class AuditCommand extends PatSubcommand {
    @Option(names = {"-A", "--all-namespaces"}, description = "Audit every namespace.")
    boolean allNamespaces;
    @Option(names = "--unused-after", defaultValue = "30d",
            description = "Flag tokens not used for this long (default: ${DEFAULT-VALUE}).")
    String unusedAfter;
    @Option(names = "--expiring-within", defaultValue = "7d",
            description = "Flag non-rotating tokens expiring within this (default: ${DEFAULT-VALUE}).")
    String expiringWithin;
    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); name lists the"
                    + " tokens with findings.")
    OutputFormat output;
    @Option(names = "--fail-on-findings", description = "Exit 3 when there are findings (for CI gates).")
    boolean failOnFindings;

    @Override
    int run(KubernetesClient client, String namespace) throws Exception {
        AuditRules rules = new AuditRules(PatFailure.duration("--unused-after", unusedAfter),
                PatFailure.duration("--expiring-within", expiringWithin));
        List<Finding> findings = new TokenAudit(rules).audit(ListCommand.tokens(client, namespace, allNamespaces),
                clock().instant());
        switch (output) {
            case table -> out().print(render(findings));
            case name -> findings.stream().map(Finding::name).distinct()
                    .forEach(n -> out().println(Output.name(n)));
            default -> Output.print(out(), output, findings);
        }
        return failOnFindings && !findings.isEmpty() ? PatExit.FINDINGS : PatExit.OK;
    }

    private static String render(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "No findings.\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "NAME", "OWNER", "RULE", "DETAIL"});
        findings.forEach(f -> rows.add(new String[] {f.namespace(), f.name(), f.owner(), f.rule(), f.detail()}));
        return TextTable.render(rows, "") + findings.size() + " finding(s)\n";
    }
}
