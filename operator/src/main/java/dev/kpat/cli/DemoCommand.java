package dev.kpat.cli;

import dev.kpat.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kubernetes API, run the operator, apply the examples and narrate what happens.")
public class DemoCommand implements Callable<Integer> {
    @Mixin
    OperatorOptions options;

    @Option(names = "--keep-running", description = "Stay up after the demo and print a kubeconfig for kubectl.")
    boolean keepRunning;

    @Option(names = "--examples", defaultValue = "examples",
            description = "Directory of PersonalAccessToken manifests to apply (default: ${DEFAULT-VALUE}, else the copy in the jar).")
    java.nio.file.Path examples;

    @Override
    public Integer call() throws Exception {
        return new Demo(options.settings(), System.out, examples).run(keepRunning) ? 0 : 1;
    }
}
