package dev.kpat.demo;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.cli.PatTable;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.KpatOperator;
import dev.kpat.reconcile.TokenSecrets;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import dev.kpat.verify.VerifierService;
import dev.kpat.verify.VerifierSettings;
import dev.kpat.verify.callers.CallerSettings;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The main job on an embedded or a real local cluster: start an API server, run the operator, apply examples/, and
 * narrate issue, rotation, revocation and expiry (and, on a real API server, admission). Each step checks what it claims; the demo fails when one does not hold.
 * Token values are never printed: only their hints.
 */
public class Demo {
    private static final String NS = "default";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    /** What the admission policy tells mallory (README, Admission). */
    static final String MALLORY_DENIED = "you (mallory) may create tokens only for yourself or for identities you "
            + "may impersonate, not for alice";

    private final OperatorSettings settings;
    private final PrintStream out;
    private final Path examples;
    private final Supplier<DemoCluster> clusters;
    private final Clock clock = Clock.systemUTC();
    private static final String INTROSPECTION_CLIENTS = "default/kpat-introspection-clients";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String introspectionSecret = java.util.UUID.randomUUID().toString();
    private KubernetesClient client;
    private VerifierService verifier;
    private String revokedValue;
    private boolean ok = true;

    /** The demo on the embedded mock API server. */
    public Demo(OperatorSettings settings, PrintStream out, Path examples) {
        this(settings, out, examples, EmbeddedDemoCluster::new);
    }

    /** The demo on a real local control plane started from these binaries. */
    public static Demo onLocalControlPlane(OperatorSettings settings, PrintStream out, Path examples,
                                           ControlPlaneBinaries binaries) {
        return new Demo(settings, out, examples, () -> new LocalDemoCluster(binaries));
    }

    private Demo(OperatorSettings settings, PrintStream out, Path examples, Supplier<DemoCluster> clusters) {
        this.settings = settings;
        this.out = out;
        this.examples = examples;
        this.clusters = clusters;
    }

    public boolean run(boolean keepRunning) throws Exception {
        try (DemoCluster cluster = clusters.get()) {
            client = cluster.client();
            say(cluster.description());
            Operator operator = KpatOperator.create(client, settings, clock);
            operator.start();
            registerIntrospectionClient();
            try (VerifierService verifier = new VerifierService(client, VerifierSettings.plain(0)
                    .withUsageFlushInterval(Duration.ofSeconds(1)).withCallers(CallerSettings.none()
                            .withIntrospectionClients(INTROSPECTION_CLIENTS, List.of())), clock).start()) {
                this.verifier = verifier;
                List<PersonalAccessToken> applied = applyExamples();
                String first = applied.get(0).getMetadata().getName();
                String last = applied.get(applied.size() - 1).getMetadata().getName();
                showSecret(first);
                verify(first, last);
                rotate(first);
                revoke(last);
                expire();
                cluster.realServer().ifPresent(this::admission);
                section("Final state (kubectl get pat)");
                out.print(PatTable.render(list(), clock.instant()));
                out.println();
                out.println(ok ? "Demo finished: every step went as expected." : "Demo FAILED: see the steps marked FAIL.");
                if (keepRunning) {
                    keepRunning(cluster);
                }
            } finally {
                operator.stop();
            }
        }
        return ok;
    }

    private List<PersonalAccessToken> applyExamples() throws Exception {
        section("1. Apply the examples (kubectl apply -f examples/)");
        List<PersonalAccessToken> manifests = ExampleManifests.load(examples);
        createOwnerServiceAccounts(manifests);
        for (PersonalAccessToken pat : manifests) {
            pat.getMetadata().setNamespace(NS);
            client.resource(pat).create();
            say("personalaccesstoken.kpat.dev/" + pat.getMetadata().getName() + " created");
        }
        for (PersonalAccessToken pat : manifests) {
            await(pat.getMetadata().getName(), p -> phase(p) == Phase.Active, "is Active");
        }
        out.println();
        out.print(PatTable.render(list(), clock.instant()));
        return manifests;
    }

    /**
     * The ServiceAccounts that example tokens are owned by, as a cluster running those workloads has them: a token of
     * a ServiceAccount that does not exist waits for it.
     */
    private void createOwnerServiceAccounts(List<PersonalAccessToken> manifests) {
        for (PersonalAccessToken pat : manifests) {
            var sa = dev.kpat.lifecycle.ServiceAccountName.of(pat.getSpec().getOwner()).orElse(null);
            if (sa == null || client.serviceAccounts().inNamespace(sa.namespace()).withName(sa.name()).get() != null) {
                continue;
            }
            if (client.namespaces().withName(sa.namespace()).get() == null) {
                client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                        .withName(sa.namespace()).endMetadata().build()).create();
            }
            client.serviceAccounts().inNamespace(sa.namespace()).resource(
                    new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName(sa.name())
                            .withNamespace(sa.namespace()).endMetadata().build()).create();
            say("serviceaccount/" + sa.name() + " created in namespace " + sa.namespace() + " (owner of "
                    + pat.getMetadata().getName() + ")");
        }
    }

    private void showSecret(String name) {
        PersonalAccessToken pat = get(name);
        section("2. The Secret workloads mount");
        Secret secret = client.secrets().inNamespace(NS).withName(pat.secretName()).get();
        TokenValue value = secret == null ? null : TokenSecrets.valueOf(secret);
        check(value != null, "Secret " + pat.secretName() + " holds the value under key '" + Labels.SECRET_KEY + "'");
        if (value == null) {
            return;
        }
        say("type: " + secret.getType());
        say("labels: " + secret.getMetadata().getLabels());
        say("annotations: " + secret.getMetadata().getAnnotations());
        say("value: " + value.hint() + " (" + value.reveal().length() + " characters, shown here only as its hint)");
        check(new TokenFormat(settings.tokenPrefix()).isWellFormed(value.reveal()),
                "the value carries a valid CRC32 checksum, so scanners can recognise it offline");
        TokenRecord record = client.resources(TokenRecord.class).withName(pat.getStatus().getTokenId()).get();
        check(record != null && value.hash().equals(record.getSpec().getHash()),
                "TokenRecord " + pat.getStatus().getTokenId() + " holds only its hash: "
                        + (record == null ? "" : record.getSpec().getHash().substring(0, 19) + "…"));
    }

    /** Introspection callers authenticate (RFC 7662 §2.1): one client, kept in a Secret the verifier watches. */
    private void registerIntrospectionClient() {
        client.secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(INTROSPECTION_CLIENTS.substring("default/".length())).endMetadata()
                .addToStringData("demo-service", introspectionSecret).build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private void verify(String reader, String other) throws Exception {
        section("3. Services check tokens with the verifier (GET /v1/auth, as an ingress would)");
        String value = valueOf(reader);
        say("verifier on http://127.0.0.1:" + verifier.port() + ", index ready: " + verifier.ready());
        expectStatus(value, "read", 200, reader + "'s token with ?scope=read");
        expectStatus(value, "write:tasks", 403, reader + "'s token with ?scope=write:tasks (scope it does not hold)");
        expectStatus(mistyped(value), "read", 401, "a mistyped token (checksum fails)");
        revokedValue = valueOf(other);
        expectStatus(revokedValue, null, 200, other + "'s token");
        String introspection = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port()
                        + "/v1/introspect")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("demo-service:" + introspectionSecret).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + value)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        say("POST /v1/introspect (as client demo-service, HTTP Basic) -> " + introspection);
        verifier.flushUsage();
        waitUntil(() -> get(reader).getStatus().getLastUsedAt() != null,
                reader + " shows Last Used (usage flows verifier -> TokenRecord -> PAT status)");
    }

    /** The value with its last character changed (one in 62 values already ends in any given character). */
    private static String mistyped(String value) {
        char last = value.charAt(value.length() - 1);
        return value.substring(0, value.length() - 1) + (last == 'x' ? 'y' : 'x');
    }

    /** Calls /v1/auth until it answers {@code expected} (the verifier's watch may trail the operator by a moment). */
    private void expectStatus(String token, String scope, int expected, String what) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port()
                + "/v1/auth" + (scope == null ? "" : "?scope=" + scope)))
                .header("Authorization", "Bearer " + token).build();
        Instant deadline = Instant.now().plusSeconds(5);
        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
        while (r.statusCode() != expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            r = http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        String user = r.headers().firstValue("X-Auth-Request-User").map(u -> ", user " + u).orElse("");
        check(r.statusCode() == expected, what + " -> HTTP " + r.statusCode() + user);
    }

    /** A token value, read from its Secret for the demo's own requests; it is never printed. */
    private String valueOf(String name) {
        Secret secret = client.secrets().inNamespace(NS).withName(get(name).secretName()).get();
        return TokenSecrets.valueOf(secret).reveal();
    }

    /**
     * Edits a PAT under optimistic locking, again on a conflict: a real API server answers 409 whenever the operator
     * wrote status between our read and our write (the mock server never does).
     */
    private void edit(String name, Consumer<PersonalAccessToken> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).edit(p -> {
                    change.accept(p);
                    return p;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void rotate(String name) {
        section("4. Rotate after a leak (kubectl annotate pat " + name + " kpat.dev/rotate=leak-1)");
        PersonalAccessToken before = get(name);
        String oldId = before.getStatus().getTokenId();
        edit(name, p -> p.getMetadata().getAnnotations().put(Labels.ROTATE_ANNOTATION, "leak-1"));
        PersonalAccessToken after = await(name, p -> p.getStatus().getRevision() == 2L, "has revision 2");
        say("new value " + after.getStatus().getTokenHint() + " (" + after.getStatus().getTokenId()
                + ") written into the same Secret");
        TokenRecord old = client.resources(TokenRecord.class).withName(oldId).get();
        check(old.getSpec().getRevokedAt() != null, "previous value " + before.getStatus().getTokenHint()
                + " revoked at once (reason " + old.getSpec().getRevocationReason() + ")");
    }

    private void revoke(String name) {
        section("5. Revoke (kubectl patch pat " + name + " --type merge -p '{\"spec\":{\"revoked\":true}}')");
        String id = get(name).getStatus().getTokenId();
        edit(name, p -> p.getSpec().setRevoked(true));
        long written = System.nanoTime();
        waitUntil(() -> statusOf(revokedValue) == 401, "the verifier rejects the revoked value (HTTP 401), "
                + "checked every 50 ms from the revocation write");
        say("first rejection " + (System.nanoTime() - written) / 1_000_000 + " ms after the write");
        await(name, p -> phase(p) == Phase.Revoked, "is Revoked");
        TokenRecord record = client.resources(TokenRecord.class).withName(id).get();
        check(record.getSpec().getRevokedAt() != null, "TokenRecord " + id + " revoked at "
                + record.getSpec().getRevokedAt() + " (kept as a tombstone for audits)");
        waitUntil(() -> client.secrets().inNamespace(NS).withName(get(name).secretName()).get() == null,
                "Secret " + get(name).secretName() + " deleted");
    }

    private void expire() {
        section("6. Expiry, scheduled for the instant (a token with ttl: 3s)");
        client.resource(newPat("demo-expiring", "demo", "3s")).create();
        PersonalAccessToken active = await("demo-expiring", p -> phase(p) == Phase.Active, "is Active");
        String value = valueOf("demo-expiring");
        waitUntil(() -> statusOf(value) == 200, "the verifier accepts it");
        say("expires at " + active.getStatus().getExpiresAt() + "; no polling, the operator wakes up then");
        PersonalAccessToken expired = await("demo-expiring", p -> phase(p) == Phase.Expired, "is Expired");
        Duration lag = Duration.between(Instant.parse(expired.getStatus().getExpiresAt()), clock.instant());
        say("observed Expired " + lag.toMillis() + " ms after expiresAt");
        check(statusOf(value) == 401, "the verifier rejects it (it checks expiry itself, to the millisecond)");
    }

    /** mallory may create PATs in the namespace, yet the admission policy refuses one that would act as alice. */
    private void admission(LocalControlPlane plane) {
        section("7. Admission: nobody mints a token for someone else (mallory applies a PAT with owner: alice)");
        client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("pat-creator")
                .endMetadata().addNewRule().withApiGroups(Labels.GROUP).withResources("personalaccesstokens")
                .withVerbs("get", "list", "create").endRule().build()).create();
        client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("mallory-creates-pats").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "pat-creator")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("mallory")
                .endSubject().build()).create();
        say("mallory (a client-certificate user) may create PersonalAccessTokens in " + NS + " (Role pat-creator)");
        try (KubernetesClient mallory = plane.clientFor("mallory")) {
            String denial = AdmissionDenial.of(mallory, client, newPat("mallory-for-alice", "alice", "1h"),
                    STEP_TIMEOUT);
            if (denial != null) {
                say("the API server answers 403 Forbidden: " + denial);
            }
            check(denial != null && denial.contains(MALLORY_DENIED), "denied at admission by the "
                    + "ValidatingAdmissionPolicy kpat-personalaccesstokens: mallory may not act as alice");
            check(get("mallory-for-alice") == null, "no token for alice was created");
            mallory.resource(newPat("mallory-own", "mallory", "1h")).create();
            await("mallory-own", p -> phase(p) == Phase.Active, "(mallory's own token) is Active: minting for "
                    + "yourself is allowed");
        }
    }

    private static PersonalAccessToken newPat(String name, String owner, String ttl) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(owner);
        spec.setScopes(List.of("read"));
        spec.setTtl(ttl);
        pat.setSpec(spec);
        return pat;
    }

    private void keepRunning(DemoCluster cluster) throws Exception {
        Path kubeconfig = cluster.kubeconfig();
        section("The cluster stays up");
        say("export KUBECONFIG=" + kubeconfig);
        say("kubectl get pat -A   (Ctrl-C to stop)");
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
    }

    private int statusOf(String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port() + "/v1/auth"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private PersonalAccessToken await(String name, Predicate<PersonalAccessToken> condition, String what) {
        boolean held = waitUntil(() -> {
            PersonalAccessToken p = get(name);
            return p != null && p.getStatus() != null && condition.test(p);
        }, name + " " + what);
        return held ? get(name) : get(name);
    }

    private boolean waitUntil(java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(STEP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                check(true, what);
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        check(false, what + " (not within " + STEP_TIMEOUT.toSeconds() + "s)");
        return false;
    }

    private void check(boolean held, String what) {
        out.println((held ? "  ok    " : "  FAIL  ") + what);
        ok &= held;
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    private void say(String line) {
        out.println("  " + line);
    }

    private PersonalAccessToken get(String name) {
        return client.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).get();
    }

    private List<PersonalAccessToken> list() {
        return client.resources(PersonalAccessToken.class).inNamespace(NS).list().getItems();
    }

    private static Phase phase(PersonalAccessToken p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }
}
