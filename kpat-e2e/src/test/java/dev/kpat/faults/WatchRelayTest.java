package dev.kpat.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link FaultProxy} at 0 % faults relays every watch event at volume: WebSocket watches (the Fabric8 client's
 * default) and informers, as the operator runs them, opened through the proxy on a namespace's ConfigMaps, while a
 * thousand or so quick changes (creates and updates, eight at a time) go directly to the API server. Some watches
 * start from the first resourceVersion half way through the writes, so the API server sends a backlog of events the
 * moment they open. Every watcher must end having seen each object's last resourceVersion, as the API server has it.
 * {@code -Dkpat.relay.objects} (default 250; four changes each), {@code -Dkpat.relay.bytes} (each object's data,
 * default 2,000), {@code -Dkpat.relay.watches} (default 4 from now, 4 from the start, 2 informers).
 */
@ExtendWith(RealCluster.class)
class WatchRelayTest {
    private static final int OBJECTS = Integer.getInteger("kpat.relay.objects", 250);
    private static final int UPDATES = 3;
    private static final int BYTES = Integer.getInteger("kpat.relay.bytes", 2_000);
    private static final int WATCHES = Integer.getInteger("kpat.relay.watches", 4);
    private static final int INFORMERS = 2;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void everyChangeArrivesThroughTheProxy(LocalControlPlane plane) throws Exception {
        Instant begin = Instant.now();
        KubernetesClient admin = plane.admin();
        String ns = "watch-relay-" + UUID.randomUUID().toString().substring(0, 6);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
        admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("watcher").endMetadata().build()).serverSideApply();
        // a Role of its own: the aggregated ClusterRoles (view) stay empty without the controller that fills them
        admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("watcher")
                .endMetadata().addNewRule().withApiGroups("").withResources("configmaps")
                .withVerbs("get", "list", "watch").endRule().build()).serverSideApply();
        admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("watcher").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role").withName("watcher").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName("watcher").withNamespace(ns).endSubject().build()).serverSideApply();
        String startVersion = admin.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();

        List<Recorder> recorders = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        List<SharedIndexInformer<ConfigMap>> informers = new ArrayList<>();
        try (FaultProxy proxy = new FaultProxy(URI.create(plane.url()), plane.caPem(),
                new FaultPlan(0, 0, Duration.ofSeconds(11)));
             KubernetesClient watcher = throughProxy(plane, ns, proxy)) {
            for (int i = 0; i < WATCHES; i++) {
                Recorder r = new Recorder("watch " + i);
                recorders.add(r);
                watches.add(watcher.configMaps().inNamespace(ns).watch(new ListOptionsBuilder()
                        .withResourceVersion(startVersion).build(), r));
            }
            for (int i = 0; i < INFORMERS; i++) {
                informers.add(watcher.configMaps().inNamespace(ns).inform());
            }

            String padding = "x".repeat(BYTES);
            Instant start = Instant.now();
            System.out.printf("watch relay: %d watches and %d informers open after %.1f s%n", WATCHES, INFORMERS,
                    Duration.between(begin, start).toMillis() / 1000.0);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicLong changes = new AtomicLong();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < OBJECTS; i++) {
                    String name = String.format("cm%04d", i);
                    done.add(pool.submit(() -> {
                        admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                                .withName(name).endMetadata().addToData("v", "0").addToData("pad", padding)
                                .build()).create();
                        changes.incrementAndGet();
                        for (int u = 1; u <= UPDATES; u++) {
                            admin.configMaps().inNamespace(ns).withName(name).patch(PatchContext.of(
                                    PatchType.JSON_MERGE), "{\"data\":{\"v\":\"" + u + "\"}}");
                            changes.incrementAndGet();
                        }
                    }));
                    if (i == OBJECTS / 2) {
                        // half way: watches that start from the beginning get a backlog of events at once
                        for (int w = 0; w < WATCHES; w++) {
                            Recorder r = new Recorder("late watch " + w);
                            recorders.add(r);
                            watches.add(watcher.configMaps().inNamespace(ns).watch(new ListOptionsBuilder()
                                    .withResourceVersion(startVersion).build(), r));
                        }
                    }
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            Duration writing = Duration.between(start, Instant.now());

            Map<String, String> server = new HashMap<>();
            // the namespace's own kube-root-ca.crt aside
            admin.configMaps().inNamespace(ns).list().getItems().stream().filter(c -> c.getMetadata().getName()
                    .startsWith("cm")).forEach(c -> server.put(c.getMetadata().getName(),
                    c.getMetadata().getResourceVersion()));
            assertThat(server).hasSize(OBJECTS);

            Instant deadline = Instant.now().plus(PATIENCE);
            Map<String, Integer> behind;
            while (true) {
                behind = new HashMap<>();
                for (Recorder r : recorders) {
                    behind.put(r.name, r.behind(server));
                }
                for (int i = 0; i < informers.size(); i++) {
                    Map<String, String> cached = new HashMap<>();
                    informers.get(i).getStore().list().forEach(c -> cached.put(c.getMetadata().getName(),
                            c.getMetadata().getResourceVersion()));
                    behind.put("informer " + i, behind(cached, server));
                }
                if (behind.values().stream().allMatch(n -> n == 0) || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(200);
            }
            Duration converging = Duration.between(start, Instant.now()).minus(writing);
            long events = recorders.stream().mapToLong(r -> r.events.get()).sum();
            System.out.printf("watch relay: %d changes to %d ConfigMaps of %d bytes in %.1f s (then %.1f s waiting); %d"
                            + " watches, %d informers, %d WebSockets through the proxy, %d events relayed; objects"
                            + " behind per watcher: %s%n", changes.get(), OBJECTS, BYTES, writing.toMillis() / 1000.0,
                    converging.toMillis() / 1000.0,
                    recorders.size(), informers.size(), proxy.webSockets(), events, behind);
            for (Recorder r : recorders) {
                assertThat(r.error.get()).as("%s closed", r.name).isNull();
            }
            assertThat(proxy.webSockets()).as("watches relayed as WebSockets")
                    .isGreaterThanOrEqualTo(recorders.size() + informers.size());
            assertThat(behind).as("objects whose last change a watcher through the proxy did not see")
                    .allSatisfy((w, n) -> assertThat(n).as(w).isZero());
        } finally {
            watches.forEach(Watch::close);
            informers.forEach(SharedIndexInformer::close);
            admin.namespaces().withName(ns).delete();
        }
    }

    /** The watcher's ServiceAccount (a bearer token, which the proxy passes on) with the proxy as the server. */
    private static KubernetesClient throughProxy(LocalControlPlane plane, String ns, FaultProxy proxy)
            throws Exception {
        Path kubeconfig = plane.kubeconfigForServiceAccount(ns, "watcher");
        String text = Files.readString(kubeconfig).replace(plane.url(), proxy.url());
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, text, null)).build();
    }

    private static int behind(Map<String, String> seen, Map<String, String> server) {
        return (int) server.entrySet().stream().filter(e -> !e.getValue().equals(seen.get(e.getKey()))).count();
    }

    /** Each object's last resourceVersion as one watch saw it. */
    private static final class Recorder implements Watcher<ConfigMap> {
        final String name;
        final Map<String, String> versions = new ConcurrentHashMap<>();
        final AtomicLong events = new AtomicLong();
        final AtomicReference<WatcherException> error = new AtomicReference<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void eventReceived(Action action, ConfigMap cm) {
            events.incrementAndGet();
            if (action == Action.ADDED || action == Action.MODIFIED) {
                versions.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion());
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            error.set(cause);
        }

        int behind(Map<String, String> server) {
            return WatchRelayTest.behind(versions, server);
        }
    }
}
