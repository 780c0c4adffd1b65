package dev.kpat.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up the Lease when a leader shuts down (SIGTERM, as in a rolling update), so a standby takes over within its
 * retry period rather than after the whole lease duration: JOSDK builds its elector without release-on-cancel.
 * Called after the operator stopped reconciling; releases only a Lease this replica still holds, with an update
 * that fails if anyone changed the Lease in between.
 */
final class LeaseRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

    private LeaseRelease() {
    }

    /** Returns whether the Lease was released. */
    static boolean release(KubernetesClient client, LeaderElectionConfiguration election) {
        String identity = election.getIdentity().orElse(null);
        String namespace = election.getLeaseNamespace().orElse(null);
        if (identity == null || namespace == null) {
            return false;
        }
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(election.getLeaseName()).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return false;
            }
            // what client-go writes on release: no holder, and a lease that lapsed a second after now
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setAcquireTime(now);
            lease.getSpec().setRenewTime(now);
            client.resource(lease).update();
            return true;
        } catch (KubernetesClientException e) {
            LOG.warn("could not release the leader election Lease (HTTP {}); a standby takes over when it lapses",
                    e.getCode());
            return false;
        }
    }
}
