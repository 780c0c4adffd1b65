package dev.kpat.cli;

import dev.kpat.reconcile.KpatOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the operator against the current kubeconfig or in-cluster configuration.")
public class RunCommand implements Callable<Integer> {
    @Mixin
    OperatorOptions options;

    @Override
    public Integer call() throws InterruptedException {
        var settings = options.settings();
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = KpatOperator.create(client, settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            client.close();
            stopped.countDown();
        }));
        operator.start();
        stopped.await();
        return 0;
    }
}
