package dev.kpat.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.UserExtra;
import dev.kpat.token.Scope;
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
    private static String admit(String operation, String user, Map<String, Object> object, Map<String, Object> old,
                                Set<String> rbac) {
        return admit(operation, Map.of("username", user), object, old, rbac);
    }

    /** As a request made with a kpat token: the user's extra as the verifier's TokenReview answer sets it. */
    private static String admitToken(String operation, List<String> scopes, Map<String, Object> object,
                                     Map<String, Object> old) {
        Map<String, Object> extra = Map.of(UserExtra.TOKEN_ID, List.of("tok-caller"), UserExtra.SCOPES, scopes);
        return admit(operation, Map.of("username", "alice", "extra", extra), object, old, Set.of());
    }

    @SuppressWarnings("unchecked")
    private static String admit(String operation, Map<String, Object> userInfo, Map<String, Object> object,
                                Map<String, Object> old, Set<String> rbac) {
        Map<String, Object> vars = variables(operation, userInfo, object, old, rbac);
        Map<String, Object> spec = (Map<String, Object>) policy.get("spec");
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("validations")) {
            if (!CEL.holds((String) v.get("expression"), vars)) {
                return v.containsKey("messageExpression")
                        ? (String) CEL.eval((String) v.get("messageExpression"), vars) : (String) v.get("message");
            }
        }
        return null;
    }

    /** Evaluates the policy's variables, in order, for a request. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(String operation, Map<String, Object> userInfo,
                                                 Map<String, Object> object, Map<String, Object> old,
                                                 Set<String> rbac) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", Cel.celValues(object));
        vars.put("oldObject", old == null ? com.google.protobuf.NullValue.NULL_VALUE : Cel.celValues(old));
        vars.put("request", Cel.celValues(Map.of("operation", operation, "userInfo", userInfo)));
        vars.put("authorizer", new FakeAuthorizer(rbac));
        Map<String, Object> variables = new LinkedHashMap<>();
        vars.put("variables", variables);
        for (Map<String, Object> v : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("spec"))
                .get("variables")) {
            variables.put((String) v.get("name"), CEL.eval((String) v.get("expression"), vars));
        }
        return vars;
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

    /** The policy's scope coverage is dev.kpat.token.Scope#grants, checked on every pair of a table of scopes. */
    @Test
    void aTokensScopesCoverWhatScopeGrantsSays() {
        List<String> scopes = List.of("*", "read", "read:pods", "read:pods-x", "reader", "reader:pods", "write",
                "write:pods", "admin", "admin:tokens", "admin:tokens-x", "tokens");
        for (String held : scopes) {
            for (String asked : scopes) {
                var pat = Manifests.withSpec(Manifests.pat("alice"), s -> s.put("scopes", new ArrayList<>(List.of(asked))));
                var vars = variables("CREATE", Map.of("username", "alice", "extra", Map.of(UserExtra.TOKEN_ID,
                        List.of("tok-caller"), UserExtra.SCOPES, List.of(held))), pat, null, Set.of());
                boolean covered = ((List<?>) ((Map<?, ?>) vars.get("variables")).get("uncoveredScopes")).isEmpty();
                assertThat(covered).as(held + " covers " + asked).isEqualTo(Scope.parse(held).grants(Scope.parse(asked)));
            }
            String denied = admitToken("CREATE", List.of(held), Manifests.pat("alice"), null);
            boolean mayMint = denied == null || !denied.contains("only with the admin:tokens scope");
            assertThat(mayMint).as(held + " may mint").isEqualTo(Scope.parse(held).grants(Scope.parse("admin:tokens")));
        }
    }

    @Test
    void aTokenMintsOnlyWithAdminTokensAndNothingWider() {
        var narrow = Manifests.withSpec(Manifests.pat("alice"), s -> s.put("scopes", new ArrayList<>(List.of("read:pods"))));
        assertThat(admitToken("CREATE", List.of("read"), narrow, null)).isEqualTo("a kpat token may create or change"
                + " PersonalAccessTokens only with the admin:tokens scope; this one (tok-caller) has read");
        assertThat(admitToken("CREATE", List.of("read", "admin:tokens"), narrow, null)).isNull();
        var wide = Manifests.withSpec(narrow, s -> s.put("scopes", new ArrayList<>(List.of("read", "*", "write:pods"))));
        assertThat(admitToken("CREATE", List.of("read", "admin:tokens"), wide, null)).isEqualTo("a kpat token cannot"
                + " grant scopes beyond its own: *, write:pods not covered by read, admin:tokens");
        // a change that leaves the scopes alone (here: revoking) is no widening, even of a wider token
        var revoked = Manifests.withSpec(wide, s -> s.put("revoked", true));
        assertThat(admitToken("UPDATE", List.of("read", "admin:tokens"), revoked, wide)).isNull();
        assertThat(admitToken("UPDATE", List.of("read"), revoked, wide)).contains("only with the admin:tokens scope");
        // the verifier never sends more than a record holds (64); anything longer is refused before any loop
        List<String> many = new ArrayList<>(java.util.stream.IntStream.range(0, 65).mapToObj(i -> "read:r" + i).toList());
        many.add("*");
        assertThat(admitToken("CREATE", many, narrow, null))
                .isEqualTo("a kpat token with more than 64 scopes may not create or change PersonalAccessTokens");
    }

    /** The policy reads the very keys the verifier's TokenReview answer writes (one definition: UserExtra). */
    @Test
    void thePolicyReadsTheExtraKeysTheVerifierWrites() {
        var keys = java.util.regex.Pattern.compile("'(kpat\\.dev/[a-z-]+)'").matcher(policy.get("spec").toString())
                .results().map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
        assertThat(keys).containsExactlyInAnyOrderElementsOf(UserExtra.ALL);
    }
}
