package dev.kpat.testing;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.operator.LeaderElectionOptions;
import dev.kpat.localcluster.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Operator processes of one test class on the shared real control plane: each runs {@code run} as the chart's
 * ServiceAccount with its own kubeconfig, competing for the Lease in {@link ChartRbac#NAMESPACE}; the class's PATs
 * live in a namespace of its own. {@link #close()} kills what still runs and removes the namespace, its
 * TokenRecords and the Lease.
 */
public final class OperatorProcesses implements AutoCloseable {
    private final LocalControlPlane plane;
    private final String namespace;
    private final Path dir;
    private final List<String> electionArgs;
    private final ChartRbac rbac;
    private final List<OperatorProcess> started = new ArrayList<>();

    /**
     * @param electionArgs the leader election timings every process gets
     */
    public OperatorProcesses(LocalControlPlane plane, String namespace, List<String> electionArgs) {
        this.plane = plane;
        this.namespace = namespace;
        this.dir = Path.of("target", "operator-processes", namespace);
        this.electionArgs = electionArgs;
        this.rbac = ChartRbac.install(plane);
        deleteLease();
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .endMetadata().build()).serverSideApply();
    }

    public String namespace() {
        return namespace;
    }

    /** Starts {@code run} as process {@code name}, seeing {@code hostname} as its HOSTNAME. */
    public OperatorProcess start(String name, String hostname) {
        return start(name, hostname, List.of(), null);
    }

    /** As {@link #start(String, String)} with another kubeconfig, e.g. the chart's identity through a proxy. */
    public OperatorProcess start(String name, String hostname, Path kubeconfig) {
        return start(name, hostname, kubeconfig, List.of(), null);
    }

    /**
     * Starts {@code run} with {@code extraArgs} after the election flags, in a JVM with {@code jvmOptions} (null:
     * the small defaults of {@link OperatorProcess}).
     */
    public OperatorProcess start(String name, String hostname, List<String> extraArgs, List<String> jvmOptions) {
        return start(name, hostname, copy(rbac.operatorKubeconfig(), dir.resolve(name + ".kubeconfig")), extraArgs,
                jvmOptions);
    }

    private OperatorProcess start(String name, String hostname, Path kubeconfig, List<String> extraArgs,
                                  List<String> jvmOptions) {
        List<String> args = new ArrayList<>(List.of("--leader-election-namespace=" + ChartRbac.NAMESPACE));
        args.addAll(electionArgs);
        args.addAll(extraArgs);
        Path log = dir.resolve(name + ".log");
        OperatorProcess p = jvmOptions == null ? OperatorProcess.start(name, kubeconfig, hostname, log, args)
                : OperatorProcess.start(name, kubeconfig, hostname, log, args, jvmOptions);
        started.add(p);
        return p;
    }

    private static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart's ServiceAccounts and RBAC these processes act with. */
    public ChartRbac rbac() {
        return rbac;
    }

    /** Where the processes' kubeconfigs and logs go. */
    public Path dir() {
        return dir;
    }

    /** Every process started so far, for checks over all their logs. */
    public List<OperatorProcess> all() {
        return List.copyOf(started);
    }

    /** The identity holding the Lease, or null when there is none. */
    public String leaseHolder() {
        Lease lease = plane.admin().leases().inNamespace(ChartRbac.NAMESPACE).withName(LeaderElectionOptions.LEASE_NAME)
                .get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /**
     * Deletes the Lease, as a leader releases it when it stops: for a test that killed the holder itself and is not
     * about the wait for a dead leader's Lease to lapse (LeaderTakeoverTest is).
     */
    public void deleteLease() {
        plane.admin().leases().inNamespace(ChartRbac.NAMESPACE).withName(LeaderElectionOptions.LEASE_NAME)
                .withTimeout(30, TimeUnit.SECONDS).delete();
    }

    @Override
    public void close() {
        started.forEach(OperatorProcess::close);
        KubernetesClient admin = plane.admin();
        // no operator runs any more: finalizers are lifted by hand so the namespace can go
        for (PersonalAccessToken pat : admin.resources(PersonalAccessToken.class).inNamespace(namespace).list()
                .getItems()) {
            admin.resources(PersonalAccessToken.class).inNamespace(namespace).withName(pat.getMetadata().getName())
                    .edit(p -> {
                        p.getMetadata().setFinalizers(List.of());
                        return p;
                    });
        }
        // waited for: a later test's operator must not find this namespace's tokens half-deleted
        admin.namespaces().withName(namespace).withTimeout(90, TimeUnit.SECONDS).delete();
        TokenRecordCleanup.deleteRecordsOf(admin, namespace);
        deleteLease();
    }

    /** Sleeps, failing the test when interrupted. */
    public static void sleep(Duration d) {
        OperatorProcess.sleep(d);
    }
}
