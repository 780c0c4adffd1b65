package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Completion of a token's NAME ({@code kubectl pat status|rotate|revoke NAME}): the PersonalAccessTokens of the
 * namespace that {@code -n}, {@code --context} and {@code --kubeconfig} typed so far select, as the command would.
 * Picocli's candidates are static; this asks the API server. Completion never fails out loud: no cluster, no
 * candidates.
 */
final class TokenNames {
    private static final Set<String> NAMED = Set.of("status", "rotate", "revoke");

    private TokenNames() {
    }

    /** The token names that complete {@code words} (the last one being typed), or none. */
    static List<String> complete(CommandSpec root, List<String> words) {
        if (words.size() < 2 || !NAMED.contains(words.get(0)) || !root.subcommands().containsKey(words.get(0))) {
            return List.of();
        }
        CommandSpec sub = root.subcommands().get(words.get(0)).getCommandSpec();
        String partial = words.get(words.size() - 1);
        if (partial.startsWith("-")) {
            return List.of();
        }
        ClusterOptions cluster = new ClusterOptions();
        int positionals = 0;
        for (int i = 1; i < words.size() - 1; i++) {
            String word = words.get(i);
            if (!word.startsWith("-") || word.equals("-")) {
                positionals++;
                continue;
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            OptionSpec option = sub.findOption(name);
            if (option == null || option.arity().max() == 0) {
                continue;
            }
            String value = eq >= 0 ? word.substring(eq + 1) : i + 1 < words.size() - 1 ? words.get(++i) : null;
            if (value == null) {
                return List.of(); // the word being typed is this option's value
            }
            switch (option.longestName()) {
                case "--namespace" -> cluster.namespace = value;
                case "--context" -> cluster.context = value;
                case "--kubeconfig" -> cluster.kubeconfig = Path.of(value);
                default -> {
                }
            }
        }
        if (positionals > 0) {
            return List.of();
        }
        try (KubernetesClient client = cluster.client()) {
            return client.resources(PersonalAccessToken.class).inNamespace(cluster.namespace(client)).list()
                    .getItems().stream().map(p -> p.getMetadata().getName()).filter(n -> n.startsWith(partial))
                    .sorted().toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
