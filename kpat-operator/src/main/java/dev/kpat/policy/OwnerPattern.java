package dev.kpat.policy;

import dev.kpat.api.OwnerName;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code allowedOwners} entry: a user or ServiceAccount name pattern with {@code *} wildcards, or
 * {@code group:<pattern>} matched against the groups a token's owner name implies. The operator sees only the owner's
 * name, so those are the groups Kubernetes derives from it: {@code system:authenticated}, and for a ServiceAccount
 * ({@link OwnerName}) also {@code system:serviceaccounts} and {@code system:serviceaccounts:<ns>}.
 */
public record OwnerPattern(boolean group, Pattern regex, String text) {
    public static OwnerPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("allowedOwners entry is empty");
        }
        boolean group = text.startsWith("group:");
        return new OwnerPattern(group, glob(group ? text.substring(6) : text), text);
    }

    public boolean matches(String owner) {
        if (!group) {
            return regex.matcher(owner).matches();
        }
        return impliedGroups(owner).stream().anyMatch(g -> regex.matcher(g).matches());
    }

    static List<String> impliedGroups(String owner) {
        List<String> groups = new ArrayList<>(List.of("system:authenticated"));
        groups.addAll(OwnerName.impliedGroups(owner));
        return groups;
    }

    private static Pattern glob(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
