package dev.kpat.localcluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager, built from the
 * Kubernetes Go modules (see {@code testcluster/}). The API server authenticates client certificates of a local CA
 * and ServiceAccount tokens, authorizes with RBAC (after an optional authorization webhook), runs the default
 * admission plugins (ValidatingAdmissionPolicy included) and allows no anonymous requests. The controller manager
 * runs what kpat relies on: garbage collection, namespace deletion, ServiceAccounts and their tokens, and the root
 * CA ConfigMap.
 */
public final class LocalControlPlane implements AutoCloseable {
    /** The controllers kube-controller-manager runs here. */
    public static final List<String> CONTROLLERS = List.of("garbage-collector-controller", "namespace-controller",
            "serviceaccount-controller", "serviceaccount-token-controller",
            "root-ca-certificate-publisher-controller");
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ControlPlaneBinaries binaries;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final Pki pki = Pki.create("kpat-local-ca");
    private final List<ManagedProcess> processes = new ArrayList<>();
    private ControlPlaneOptions options;
    private int etcdPort;
    private int apiPort;
    private ManagedProcess apiServer;
    private KubernetesClient admin;

    private LocalControlPlane(ControlPlaneBinaries binaries, ControlPlaneOptions options) throws IOException {
        this.binaries = binaries;
        this.options = options;
        this.temporaryDataDir = options.dataDir() == null;
        this.dataDir = temporaryDataDir ? Files.createTempDirectory("kpat-local-cluster-")
                : Files.createDirectories(options.dataDir().toAbsolutePath());
    }

    /** Starts etcd, the API server and the controller manager, and installs kpat unless told not to. */
    public static LocalControlPlane start(ControlPlaneBinaries binaries, ControlPlaneOptions options) {
        LocalControlPlane plane;
        try {
            plane = new LocalControlPlane(binaries, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory: " + e.getMessage(), e);
        }
        try {
            plane.startAll();
            return plane;
        } catch (RuntimeException | IOException e) {
            plane.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startAll() throws IOException {
        Files.createDirectories(pkiDir());
        write(pkiDir().resolve("ca.crt"), pki.caPem());
        Pki.KeyAndCert serving = pki.serving("kube-apiserver", List.of("kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
        write(pkiDir().resolve("apiserver.crt"), serving.certPem());
        write(pkiDir().resolve("apiserver.key"), serving.keyPem());
        Pki.KeyAndCert sa = Pki.serviceAccountKeys();
        write(pkiDir().resolve("sa.pub"), sa.certPem());
        write(pkiDir().resolve("sa.key"), sa.keyPem());
        etcdPort = freePort();
        apiPort = options.apiPort() == 0 ? freePort() : options.apiPort();
        write(adminKubeconfig(), kubeconfigText("kpat-admin", List.of("system:masters")));

        startEtcd();
        startApiServer();
        startControllerManager();
        if (options.install()) {
            KpatInstaller.install(admin);
        }
    }

    private void startEtcd() throws IOException {
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + etcdPort;
        String peer = "http://127.0.0.1:" + peerPort;
        ManagedProcess etcd = launch("etcd", List.of(binaries.etcd().toString(),
                "--name=kpat-local", "--data-dir=" + dataDir.resolve("etcd"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=kpat-local=" + peer,
                // a throwaway test store: durability across power loss is not worth an fsync per write
                "--unsafe-no-fsync=true", "--log-level=warn"));
        awaitReady(etcd, () -> Readiness.httpOk(URI.create(client + "/health")));
    }

    private void startApiServer() throws IOException {
        List<String> args = new ArrayList<>(List.of(binaries.apiServer().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--tls-cert-file=" + pkiDir().resolve("apiserver.crt"),
                "--tls-private-key-file=" + pkiDir().resolve("apiserver.key"),
                "--client-ca-file=" + pkiDir().resolve("ca.crt"),
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + pkiDir().resolve("sa.pub"),
                "--service-account-signing-key-file=" + pkiDir().resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--anonymous-auth=false", "--allow-privileged=true", "--profiling=false",
                // no kubelets, no Service of the API server itself: nothing here routes to it by cluster IP
                "--endpoint-reconciler-type=none"));
        String cacheTtl = options.webhookCacheTtl().toSeconds() + "s";
        Path webhookCa = options.webhookCa() != null ? options.webhookCa() : pkiDir().resolve("ca.crt");
        if (options.tokenWebhook() != null) {
            Path config = webhookKubeconfig("token-webhook", options.tokenWebhook(), webhookCa);
            args.addAll(List.of("--authentication-token-webhook-config-file=" + config,
                    "--authentication-token-webhook-version=v1",
                    "--authentication-token-webhook-cache-ttl=" + cacheTtl));
        }
        if (options.authorizationWebhook() != null) {
            Path kubeconfig = webhookKubeconfig("authorization-webhook", options.authorizationWebhook(), webhookCa);
            Path config = dataDir.resolve("authorization-config.yaml");
            write(config, AuthorizationConfig.forWebhook(kubeconfig, cacheTtl));
            args.add("--authorization-config=" + config);
        } else {
            args.add("--authorization-mode=RBAC");
        }
        apiServer = launch("kube-apiserver", args);
        if (admin == null) {
            admin = client(adminKubeconfig());
        }
        awaitReady(apiServer, () -> "ok".equals(Readiness.quietly(() -> admin.raw("/readyz"))));
    }

    private void startControllerManager() throws IOException {
        Path kubeconfig = dataDir.resolve("kube-controller-manager.kubeconfig");
        write(kubeconfig, kubeconfigText("system:kube-controller-manager", List.of()));
        launch("kube-controller-manager", List.of(binaries.controllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1", "--secure-port=" + freePort(),
                "--controllers=" + String.join(",", CONTROLLERS),
                // each controller acts as its own ServiceAccount with its bootstrap RBAC role, as in a real cluster
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + pkiDir().resolve("sa.key"),
                "--root-ca-file=" + pkiDir().resolve("ca.crt"),
                "--leader-elect=false"));
    }

    /**
     * Restarts the API server with other webhooks; etcd and the controller manager keep running, so everything
     * stored stays. A real cluster's API server is reconfigured the same way.
     */
    public void reconfigure(URI tokenWebhook, URI authorizationWebhook, Path webhookCa) {
        options = options.withWebhooks(tokenWebhook, authorizationWebhook, webhookCa);
        apiServer.kill();
        processes.remove(apiServer);
        try {
            startApiServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path webhookKubeconfig(String name, URI url, Path caFile) throws IOException {
        Path file = dataDir.resolve(name + ".kubeconfig");
        // the API server presents a client certificate, so a webhook can tell it from other callers
        write(file, Kubeconfigs.withClientCertificate(url.toString(), Files.readString(caFile), "kube-apiserver",
                pki.client("kube-apiserver", List.of())));
        return file;
    }

    private ManagedProcess launch(String name, List<String> command) throws IOException {
        ManagedProcess p = ManagedProcess.start(name, command, dataDir.resolve("logs"));
        processes.add(p);
        return p;
    }

    private static void awaitReady(ManagedProcess p, java.util.function.BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!ready.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.name() + " exited while starting; its log (" + p.log() + ") ends:\n"
                        + p.logTail(15));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(p.name() + " not ready after " + START_TIMEOUT.toSeconds()
                        + " s; its log (" + p.log() + ") ends:\n" + p.logTail(15));
            }
            Readiness.sleep(Duration.ofMillis(200));
        }
    }

    /** The API server's URL. */
    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ControlPlaneBinaries binaries() {
        return binaries;
    }

    /** The PEM of the CA that signed the API server's certificate and every client certificate. */
    public String caPem() {
        return pki.caPem();
    }

    /** A kubeconfig for a cluster administrator (group system:masters). */
    public Path adminKubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    /** The administrator's client; closed with the control plane. */
    public KubernetesClient admin() {
        return admin;
    }

    /** Writes a kubeconfig authenticating as {@code user} in {@code groups} (a client certificate). */
    public Path kubeconfigFor(String user, List<String> groups) {
        Path file = dataDir.resolve("users").resolve(user.replaceAll("[^A-Za-z0-9._-]", "_") + ".kubeconfig");
        try {
            Files.createDirectories(file.getParent());
            write(file, kubeconfigText(user, groups));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A kubeconfig with the API server and its CA but no credentials, for {@code kubectl --token ...}: a client
     * certificate in the kubeconfig would authenticate first and the token would never be looked at.
     */
    public Path kubeconfigWithoutCredentials() {
        Path file = dataDir.resolve("users").resolve("no-credentials.kubeconfig");
        try {
            Files.createDirectories(file.getParent());
            write(file, Kubeconfigs.withoutCredentials(url(), pki.caPem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A new client authenticating as {@code user} in {@code groups}; the caller closes it. */
    public KubernetesClient clientFor(String user, String... groups) {
        return client(kubeconfigFor(user, List.of(groups)));
    }

    /** A kubeconfig for a ServiceAccount, with a token from the TokenRequest API (valid for an hour). */
    public Path kubeconfigForServiceAccount(String namespace, String name) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
        String token = admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request)
                .getStatus().getToken();
        Path file = dataDir.resolve("users").resolve("sa-" + namespace + "-" + name + ".kubeconfig");
        try {
            Files.createDirectories(file.getParent());
            write(file, Kubeconfigs.withToken(url(), pki.caPem(), "system:serviceaccount:" + namespace + ":" + name,
                    token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A new client acting as a ServiceAccount (which must exist); the caller closes it. */
    public KubernetesClient serviceAccountClient(String namespace, String name) {
        return client(kubeconfigForServiceAccount(namespace, name));
    }

    private String kubeconfigText(String user, List<String> groups) {
        return Kubeconfigs.withClientCertificate(url(), pki.caPem(), user, pki.client(user, groups));
    }

    private static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path pkiDir() {
        return dataDir.resolve("pki");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        try {
            Files.setPosixFilePermissions(file, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the temporary directory's own permissions still apply
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Stops the controller manager, the API server and etcd, in that order, and removes a temporary data dir. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            if (temporaryDataDir) {
                processes.get(i).kill(); // its data is deleted next: no shutdown to wait for
            } else {
                processes.get(i).stop();
            }
        }
        processes.clear();
        if (temporaryDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort: it is a temporary directory
            }
        }
    }
}
