package dev.kpat.operator;

import dev.kpat.logging.LoggingOptions;
import dev.kpat.runtime.ProcessMetrics;
import dev.kpat.runtime.Startup;
import dev.kpat.runtime.UntilShutdown;
import dev.kpat.reconcile.KpatOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.LeaderElectionManager;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import dev.kpat.metrics.MetricsServer;
import dev.kpat.metrics.OperatorHealth;
import dev.kpat.metrics.TokenMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the operator against the current kubeconfig or in-cluster configuration.")
public class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OperatorOptions options;

    /**
     * What the operator's informers list and watch, checked before they start: everything cluster-wide, or with
     * watched namespaces the cluster-scoped kinds cluster-wide and the namespaced kinds in each watched namespace.
     */
    private static List<Startup.Access> watched(Set<String> namespaces) {
        List<Startup.Access> out = new ArrayList<>();
        if (namespaces.isEmpty()) {
            out.addAll(Startup.Access.listAndWatch("kpat.dev", "personalaccesstokens", "tokenrecords",
                    "tokenpolicies", "clustertokenpolicies"));
            out.addAll(Startup.Access.listAndWatch("", "secrets", "serviceaccounts", "namespaces"));
            return out;
        }
        out.addAll(Startup.Access.listAndWatch("kpat.dev", "tokenrecords", "clustertokenpolicies"));
        out.addAll(Startup.Access.listAndWatch("", "namespaces"));
        for (String ns : namespaces) {
            Startup.Access.listAndWatch("kpat.dev", "personalaccesstokens", "tokenpolicies")
                    .forEach(a -> out.add(a.in(ns)));
            Startup.Access.listAndWatch("", "secrets", "serviceaccounts").forEach(a -> out.add(a.in(ns)));
        }
        return out;
    }

    @Option(names = "--metrics-port", defaultValue = "8080",
            description = "Port of /metrics (Prometheus), /healthz and /readyz (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--watch-namespaces", split = ",", paramLabel = "NAMESPACE",
            description = "Reconcile tokens and token policies only in these namespaces (and read Secrets and"
                    + " ServiceAccounts only there), e.g. for namespaced RBAC (default: every namespace).")
    List<String> watchNamespaces = List.of();

    @Mixin
    LeaderElectionOptions leaderElection;

    @Mixin
    ApiRateOptions apiRate;

    @Mixin
    LoggingOptions logging;

    /** A failure to start (no cluster, no permission, port taken) is one line on stderr and exit code 1. */
    @Override
    public Integer call() {
        // bad timings are a usage error, reported by picocli like any other bad flag
        leaderElection.validate();
        apiRate.validate();
        logging.apply();
        Set<String> namespaces = new LinkedHashSet<>(watchNamespaces);
        List<AutoCloseable> started = new ArrayList<>();
        return Startup.run(spec.commandLine().getErr(), started, () -> {
            var settings = options.settings();
            KubernetesClient client = Startup.connect(watched(namespaces), "the operator needs the RBAC of the Helm"
                    + " chart (helm/kpat/templates/operator-rbac.yaml)", apiRate::apply);
            started.add(client);
            LostLease lostLease = new LostLease();
            LeaderElectionConfiguration election = leaderElection.configuration(client, lostLease);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MetricsServer metrics;
            try {
                metrics = MetricsServer.start(registry, metricsPort);
            } catch (Exception e) {
                throw new Startup.Failure("cannot serve metrics on port " + metricsPort + ": "
                        + Startup.describe(e));
            }
            started.add(metrics);
            started.add(ProcessMetrics.bindTo(registry));
            Operator operator = KpatOperator.create(client, settings, Clock.systemUTC(), new TokenMetrics(registry),
                    election, namespaces);
            OperatorHealth health = new OperatorHealth(operator);
            metrics.health(health::live, health::ready);
            AutoCloseable stop = () -> {
                lostLease.shutdownStarted();
                operator.stop();
                if (election != null) {
                    LeaseRelease.release(client, election);
                }
            };
            started.add(stop);
            try {
                operator.start();
            } catch (RuntimeException e) {
                throw leaderElectionRefused(e);
            }
            return UntilShutdown.await(stop, metrics, client);
        });
    }

    /** JOSDK names missing Lease rights in a message of its own: say what the operator needs instead. */
    private static RuntimeException leaderElectionRefused(RuntimeException e) {
        for (Throwable t : Startup.chain(e)) {
            if (t.getMessage() != null && t.getMessage().contains(
                    LeaderElectionManager.NO_PERMISSION_TO_LEASE_RESOURCE_MESSAGE)) {
                return new Startup.Failure("leader election: " + Startup.oneLine(t.getMessage())
                        + " (the operator needs get, create, update and patch on leases.coordination.k8s.io;"
                        + " or run with --no-leader-election)");
            }
        }
        return e;
    }
}
