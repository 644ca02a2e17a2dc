package io.vaultcfg.module;

import io.vaultcfg.plan.HostFacts;
import java.time.Duration;
import java.util.Optional;

/**
 * What a task that checks a Vault node ({@code vault_status}) tells the runner, so that it can roll the node's
 * cluster: how to read the node's role, which KMS endpoint the node must reach before it is restarted, and how
 * long a node may take to come back.
 */
public interface VaultNodeProbe {
    NodeRoleFact role();

    /** Empty when the task names no KMS endpoint or region (a node on another seal). */
    Optional<KmsReachFact> kmsReach();

    /** How long the node, once restarted, may take to be back: its status poll's {@code retries × delay}. */
    Duration settleTimeout();

    /**
     * Whether the node's configuration, as its unit loads it, names raft peers to join ({@code retry_join}): an
     * uninitialized node that names none belongs to no cluster yet. Empty when not read or not understood.
     */
    Optional<Boolean> namesRaftPeers(HostFacts facts);

    /** The node's service unit, when the task names it: the seal migration stops the active node through it. */
    Optional<String> service();

    /** The task may move a Shamir-sealed node to its new seal ({@code migrate_seal}, set by {@code --migrate-seal}). */
    boolean migratesSeal();
}
