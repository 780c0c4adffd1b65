package dev.kpat.demo;

import dev.kpat.runtime.Startup;
import dev.kpat.runtime.UntilShutdown;
import dev.kpat.localcluster.ControlPlaneBinaries;
import dev.kpat.localcluster.ControlPlaneOptions;
import dev.kpat.localcluster.LocalControlPlane;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "local-cluster", mixinStandardHelpOptions = true,
        description = {"Start a real Kubernetes control plane on loopback (etcd, kube-apiserver, "
                + "kube-controller-manager built by testcluster/build), install kpat's CRDs and admission policy, "
                + "and print KUBECONFIG=<path>. Runs no operator. Stops everything on Ctrl-C."})
public class LocalClusterCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0",
            description = "HTTPS port of the API server on 127.0.0.1 (default: a free port).")
    int port;

    @Option(names = "--data-dir", description = "Keep etcd data, certificates, logs and kubeconfigs here "
            + "(default: a temporary directory, removed on exit).")
    Path dataDir;

    @Option(names = "--no-install", description = "Do not install kpat's CRDs and admission policy.")
    boolean noInstall;

    @Option(names = "--token-webhook", paramLabel = "URL",
            description = "TokenReview webhook for the API server, e.g. https://127.0.0.1:8443/v1/tokenreviews.")
    URI tokenWebhook;

    @Option(names = "--authorization-webhook", paramLabel = "URL",
            description = "SubjectAccessReview webhook, consulted before RBAC.")
    URI authorizationWebhook;

    @Option(names = "--webhook-ca", paramLabel = "FILE",
            description = "PEM CA bundle the API server trusts for the webhooks (e.g. the verifier's "
                    + "--ca-bundle-file; default: the local CA).")
    Path webhookCa;

    @Option(names = "--bin-dir", description = "Directory with etcd, kube-apiserver, kube-controller-manager and "
            + "kubectl (default: $KPAT_K8S_BIN, else testcluster/build's output).")
    Path binDir;

    @Spec
    CommandSpec spec;

    /** A failure to start (no binaries, a port taken, a process that exits) is one line on stderr and exit 1. */
    @Override
    public Integer call() {
        return Startup.run(spec.commandLine().getErr(), List.of(), () -> {
            var options = new ControlPlaneOptions(port, dataDir, !noInstall, tokenWebhook, authorizationWebhook,
                    webhookCa, ControlPlaneOptions.DEFAULT_WEBHOOK_CACHE_TTL);
            LocalControlPlane plane = LocalControlPlane.start(ControlPlaneBinaries.locate(binDir), options);
            System.out.println("kpat local control plane: API server " + plane.url() + ", data in "
                    + plane.dataDir());
            System.out.println("KUBECONFIG=" + plane.adminKubeconfig());
            System.out.flush();
            return UntilShutdown.await(plane);
        });
    }
}
