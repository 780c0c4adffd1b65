package dev.kpat.admission;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stands in for the API server's authorizer in CEL: {@code authorizer.group(g).resource(r)[.namespace(n)].name(x)
 * .check(verb).allowed()} is true exactly for the checks listed, written as
 * {@code "verb group/resource[/namespace]/name"}.
 */
final class FakeAuthorizer {
    private final Set<String> allowed;

    FakeAuthorizer(Set<String> allowed) {
        this.allowed = allowed;
    }

    Check group(String group) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("group", group);
        return new Check(this, fields);
    }

    record Check(FakeAuthorizer authorizer, Map<String, String> fields) {
        Check with(String key, String value) {
            Map<String, String> next = new LinkedHashMap<>(fields);
            next.put(key, value);
            return new Check(authorizer, next);
        }

        Decision verb(String verb) {
            String ns = fields.get("namespace");
            String key = verb + " " + fields.get("group") + "/" + fields.get("resource") + (ns == null ? "" : "/" + ns)
                    + "/" + fields.get("name");
            return new Decision(authorizer.allowed.contains(key));
        }
    }

    record Decision(boolean allowed) {
    }
}
