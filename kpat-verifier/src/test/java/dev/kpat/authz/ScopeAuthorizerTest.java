package dev.kpat.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.token.ScopeSet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scope-to-request mapping, as a table: scopes, verb, resource (or URL), allowed. */
class ScopeAuthorizerTest {
    @ParameterizedTest(name = "[{0}] {1} {2}{3}{4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            read                | get              | -     | pods                     | -       | true
            read                | list             | -     | pods                     | -       | true
            read                | watch            | apps  | deployments              | -       | true
            read                | get              | -     | pods                     | log     | true
            read                | delete           | -     | pods                     | -       | false
            read                | create           | -     | configmaps               | -       | false
            read                | escalate         | rbac.authorization.k8s.io | roles  | -       | false
            write               | get              | -     | pods                     | -       | false
            write               | create           | -     | pods                     | exec    | true
            write               | deletecollection | -     | pods                     | -       | true
            write               | bind             | rbac.authorization.k8s.io | roles  | -       | false
            write:configmaps    | create           | -     | configmaps               | -       | true
            write:configmaps    | update           | -     | configmaps               | -       | true
            write:configmaps    | patch            | -     | configmaps               | -       | true
            write:configmaps    | delete           | -     | configmaps               | -       | true
            write:configmaps    | get              | -     | configmaps               | -       | false
            write:configmaps    | list             | -     | pods                     | -       | false
            write:configmaps    | delete           | -     | secrets                  | -       | false
            read:pods           | list             | -     | pods                     | -       | true
            read:pods           | get              | -     | pods                     | log     | false
            read:pods/log       | get              | -     | pods                     | log     | true
            read:pods/log       | get              | -     | pods                     | -       | false
            write:pods          | create           | -     | pods                     | exec    | false
            read:deployments    | get              | apps  | deployments              | -       | false
            read:deployments.apps | get            | apps  | deployments              | -       | true
            read:deployments.apps | get            | extensions | deployments         | -       | false
            write:deployments.apps/scale | patch   | apps  | deployments              | scale   | true
            write:deployments.apps/scale | patch   | apps  | deployments              | -       | false
            admin               | escalate         | rbac.authorization.k8s.io | roles  | -       | true
            admin               | impersonate      | -     | users                    | -       | true
            admin               | approve          | certificates.k8s.io | certificatesigningrequests | approval | true
            admin               | get              | -     | secrets                  | -       | true
            admin               | delete           | -     | pods                     | -       | true
            admin:secrets       | get              | -     | secrets                  | -       | true
            admin:secrets       | get              | -     | configmaps               | -       | false
            admin:roles.rbac.authorization.k8s.io | bind | rbac.authorization.k8s.io | roles | - | true
            *                   | impersonate      | -     | users                    | -       | true
            *                   | get              | -     | pods                     | log     | true
            read                | *                | -     | pods                     | -       | false
            admin               | *                | -     | pods                     | -       | true
            read:pods           | get              | -     | *                        | -       | false
            read                | get              | -     | *                        | -       | true
            admin:pods          | *                | -     | pods                     | -       | true
            -                   | get              | -     | pods                     | -       | false
            read:pods           | create           | authentication.k8s.io | selfsubjectreviews | - | true
            -                   | create           | authorization.k8s.io | selfsubjectaccessreviews | - | true
            -                   | create           | authorization.k8s.io | selfsubjectrulesreviews | - | true
            -                   | create           | authorization.k8s.io | subjectaccessreviews | - | false
            -                   | delete           | authorization.k8s.io | selfsubjectaccessreviews | - | false
            """)
    void resourceRequests(String scopes, String verb, String group, String resource, String subresource,
                          boolean allowed) {
        String denial = ScopeAuthorizer.denial(scopes(scopes), AccessRequest.resource(verb, group, resource,
                subresource));
        assertThat(denial == null).as(denial == null ? "allowed" : denial).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            read              | get    | /metrics          | true
            read              | head   | /logs/            | true
            read              | post   | /metrics          | false
            write             | post   | /some/url         | true
            write             | get    | /metrics          | false
            admin             | get    | /metrics          | true
            *                 | delete | /anything         | true
            read:pods         | get    | /metrics          | false
            write:configmaps  | get    | /api              | true
            write:configmaps  | get    | /api/v1           | true
            write:configmaps  | get    | /apis/apps/v1     | true
            write:configmaps  | get    | /openapi/v3/api/v1 | true
            write:configmaps  | get    | /version          | true
            write:configmaps  | head   | /healthz          | true
            write:configmaps  | get    | /healthz/etcd     | false
            write:configmaps  | post   | /api              | false
            write:configmaps  | get    | /metrics          | false
            write:configmaps  | get    | /api/../metrics   | false
            write:configmaps  | get    | /apis//metrics    | false
            """)
    void nonResourceUrls(String scopes, String verb, String path, boolean allowed) {
        String denial = ScopeAuthorizer.denial(scopes(scopes), AccessRequest.nonResource(verb, path));
        assertThat(denial == null).as(denial == null ? "allowed" : denial).isEqualTo(allowed);
    }

    @Test
    void denialNamesTheScopesAndTheNarrowestScopesThatWouldAllowIt() {
        assertThat(ScopeAuthorizer.denial(scopes("read"), AccessRequest.resource("delete", "", "pods", "")))
                .isEqualTo("token scopes [read] do not allow delete on pods (needs write or write:pods)");
        assertThat(ScopeAuthorizer.denial(scopes("write:configmaps read:secrets"),
                AccessRequest.resource("list", "apps", "deployments", "")))
                .isEqualTo("token scopes [write:configmaps, read:secrets] do not allow list on deployments.apps"
                        + " (needs read or read:deployments.apps)");
        assertThat(ScopeAuthorizer.denial(scopes("read:pods"), AccessRequest.resource("get", "", "pods", "log")))
                .isEqualTo("token scopes [read:pods] do not allow get on pods/log (needs read or read:pods/log)");
        assertThat(ScopeAuthorizer.denial(scopes("write"),
                AccessRequest.resource("escalate", "rbac.authorization.k8s.io", "clusterroles", "")))
                .isEqualTo("token scopes [write] do not allow escalate on clusterroles.rbac.authorization.k8s.io"
                        + " (needs admin or admin:clusterroles.rbac.authorization.k8s.io)");
        assertThat(ScopeAuthorizer.denial(scopes("read"), AccessRequest.resource("*", "", "*", "")))
                .isEqualTo("token scopes [read] do not allow * on * (needs admin)");
        assertThat(ScopeAuthorizer.denial(scopes("write:pods"), AccessRequest.nonResource("get", "/metrics")))
                .isEqualTo("token scopes [write:pods] do not allow get on /metrics (needs read)");
        assertThat(ScopeAuthorizer.denial(scopes(null), AccessRequest.nonResource("get", "/metrics")))
                .isEqualTo("token scopes [] do not allow get on /metrics (needs read)");
    }

    /** Every resource-qualified scope the mapping names is one a PersonalAccessToken may hold. */
    @Test
    void theScopesADenialNamesPassTheGrammar() {
        String denial = ScopeAuthorizer.denial(scopes("read"),
                AccessRequest.resource("patch", "apps", "deployments", "scale"));
        assertThat(denial).endsWith("(needs write or write:deployments.apps/scale)");
        assertThat(dev.kpat.token.Scope.isValid("write:deployments.apps/scale")).isTrue();
    }

    private static ScopeSet scopes(String spaceSeparated) {
        return ScopeSet.of(spaceSeparated == null ? null : Arrays.asList(spaceSeparated.split(" ")));
    }
}
