package dev.kpat.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy in crds/admission-policy.yaml, evaluated as the API server would: variables first,
 * then each validation; a false validation denies with its message. Requests come from a table of users and RBAC.
 */
class AdmissionPolicyTest {
    private static Map<String, Object> policy;
    private static final Cel CEL = new Cel(List.of("object", "oldObject", "request", "variables"));

    @BeforeAll
    static void load() throws Exception {
        policy = Manifests.documents(Manifests.REPO.resolve("crds/admission-policy.yaml")).stream()
                .filter(d -> "ValidatingAdmissionPolicy".equals(d.get("kind"))).findFirst().orElseThrow();
        var binding = Manifests.documents(Manifests.REPO.resolve("crds/admission-policy.yaml")).stream()
                .filter(d -> "ValidatingAdmissionPolicyBinding".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(binding.toString()).contains("policyName=kpat-personalaccesstokens").contains("Deny");
    }

    /** The message of the first failing validation, or null when the request is admitted. */
    @SuppressWarnings("unchecked")
    private static String admit(String operation, String user, Map<String, Object> object, Map<String, Object> old,
                                Set<String> rbac) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", Cel.celValues(object));
        vars.put("oldObject", old == null ? com.google.protobuf.NullValue.NULL_VALUE : Cel.celValues(old));
        vars.put("request", Cel.celValues(Map.of("operation", operation, "userInfo", Map.of("username", user))));
        vars.put("authorizer", new FakeAuthorizer(rbac));
        Map<String, Object> variables = new LinkedHashMap<>();
        vars.put("variables", variables);
        Map<String, Object> spec = (Map<String, Object>) policy.get("spec");
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("variables")) {
            variables.put((String) v.get("name"), CEL.eval((String) v.get("expression"), vars));
        }
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("validations")) {
            if (!CEL.holds((String) v.get("expression"), vars)) {
                return v.containsKey("messageExpression")
                        ? (String) CEL.eval((String) v.get("messageExpression"), vars) : (String) v.get("message");
            }
        }
        return null;
    }

    @Test
    void everyExampleMayBeCreatedByItsOwner() throws Exception {
        var examples = Manifests.examplePats();
        assertThat(examples).isNotEmpty();
        examples.forEach((file, pat) -> {
            String owner = (String) ((Map<?, ?>) pat.get("spec")).get("owner");
            assertThat(admit("CREATE", owner, pat, null, Set.of())).as(file).isNull();
        });
    }

    @Test
    void nobodyMintsATokenForSomeoneElse() {
        String denied = admit("CREATE", "mallory", Manifests.pat("alice"), null, Set.of());
        assertThat(denied).isEqualTo("you (mallory) may create tokens only for yourself or for identities you may"
                + " impersonate, not for alice");
        assertThat(admit("CREATE", "mallory", Manifests.pat("system:serviceaccount:ci:deployer"), null,
                Set.of("impersonate /users/system:serviceaccount:ci:deployer"))).isNotNull();
    }

    @Test
    void impersonatorsMayMintForThoseTheyMayImpersonate() {
        String gitops = "system:serviceaccount:argocd:application-controller";
        assertThat(admit("CREATE", gitops, Manifests.pat("system:serviceaccount:ci:deployer"), null,
                Set.of("impersonate /serviceaccounts/ci/deployer"))).isNull();
        assertThat(admit("CREATE", gitops, Manifests.pat("system:serviceaccount:prod:admin"), null,
                Set.of("impersonate /serviceaccounts/ci/deployer"))).isNotNull();
        assertThat(admit("CREATE", "platform-admin", Manifests.pat("alice"), null,
                Set.of("impersonate /users/alice"))).isNull();
        assertThat(admit("CREATE", "platform-admin", Manifests.pat("bob"), null,
                Set.of("impersonate /users/alice"))).isNotNull();
    }

    @Test
    void updatesCannotChangeTheOwnerOrUndoARevocation() {
        var old = Manifests.pat("alice");
        assertThat(admit("UPDATE", "alice", Manifests.withSpec(old, s -> s.put("description", "x")), old, Set.of()))
                .isNull();
        assertThat(admit("UPDATE", "alice", Manifests.withSpec(old, s -> s.put("owner", "bob")), old, Set.of()))
                .isEqualTo("spec.owner is immutable");
        var revoked = Manifests.withSpec(old, s -> s.put("revoked", true));
        assertThat(admit("UPDATE", "alice", revoked, old, Set.of())).isNull();
        assertThat(admit("UPDATE", "alice", Manifests.withSpec(revoked, s -> s.put("revoked", false)), revoked,
                Set.of())).isEqualTo("a revoked token cannot be un-revoked");
        assertThat(admit("UPDATE", "alice", Manifests.withSpec(revoked, s -> s.remove("revoked")), revoked,
                Set.of())).isEqualTo("a revoked token cannot be un-revoked");
        assertThat(admit("UPDATE", "alice", Manifests.withSpec(revoked, s -> s.put("scopes",
                new ArrayList<>(List.of("*")))), revoked, Set.of()))
                .isEqualTo("a revoked token's spec cannot change; only its metadata can");
        // metadata-only edits (labels, annotations) of a revoked token are fine
        assertThat(admit("UPDATE", "alice", revoked, revoked, Set.of())).isNull();
    }
}
