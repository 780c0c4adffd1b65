package dev.kpat.demo;

import dev.kpat.operator.OperatorOptions;
import dev.kpat.localcluster.ControlPlaneBinaries;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kubernetes API (or, with --local-cluster, a real local control plane), run "
                + "the operator, apply the examples and narrate what happens.")
public class DemoCommand implements Callable<Integer> {
    @Mixin
    OperatorOptions options;

    @Option(names = "--keep-running", description = "Stay up after the demo and print a kubeconfig for kubectl.")
    boolean keepRunning;

    @Option(names = "--examples", defaultValue = "examples",
            description = "Directory of PersonalAccessToken manifests to apply (default: ${DEFAULT-VALUE}, else the copy in the jar).")
    Path examples;

    @Option(names = "--local-cluster", description = "Run on a real control plane on loopback (etcd, kube-apiserver, "
            + "kube-controller-manager, as `local-cluster` starts it) instead of the embedded mock API; adds a step "
            + "only a real API server shows (admission).")
    boolean localCluster;

    @Option(names = "--bin-dir", description = "With --local-cluster: directory with etcd, kube-apiserver, "
            + "kube-controller-manager and kubectl (default: $KPAT_K8S_BIN, else testcluster/build's output).")
    Path binDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (binDir != null && !localCluster) {
            throw new ParameterException(spec.commandLine(), "--bin-dir goes with --local-cluster");
        }
        Demo demo = localCluster
                ? Demo.onLocalControlPlane(options.settings(), System.out, examples, ControlPlaneBinaries.locate(binDir))
                : new Demo(options.settings(), System.out, examples);
        return demo.run(keepRunning) ? 0 : 1;
    }
}
