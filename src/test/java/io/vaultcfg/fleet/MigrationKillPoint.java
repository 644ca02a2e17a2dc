package io.vaultcfg.fleet;

import java.util.List;

/**
 * One step of {@code apply --migrate-seal} on a 3-node cluster after which its controller is killed, made
 * deterministic by a {@link RestartHold} on one node (standbys first in inventory order, then the active node): its
 * restart held before or after it is made, or its stop (the active node's, which hands the migration over) held.
 *
 * @param node          the node whose restart or stop is held
 * @param hold          what of it is held
 * @param migratedFirst  the nodes that must be unsealed on the new seal (or in its migration) when the run is held
 * @param sessionsKilled the hosts' SSH sessions are killed with the controller (a host with logind's
 *                       {@code KillUserProcesses=yes}): the held script dies there instead of going on
 */
record MigrationKillPoint(String name, Node node, RestartHold.When hold, List<Node> migratedFirst, boolean sessionsKilled) {

    MigrationKillPoint(String name, Node node, RestartHold.When hold, List<Node> migratedFirst) {
        this(name, node, hold, migratedFirst, false);
    }

    /** A node by its part in the rollout: the standbys in inventory order, the active node last. */
    enum Node {
        FIRST_STANDBY,
        SECOND_STANDBY,
        ACTIVE
    }

    @Override
    public String toString() {
        return name;
    }

    static List<MigrationKillPoint> all() {
        return List.of(
                new MigrationKillPoint("first standby restarted on the new seal, before its keys", Node.FIRST_STANDBY,
                        RestartHold.When.AFTER_RESTART, List.of()),
                new MigrationKillPoint("first standby given its keys, the second's files written, before its restart",
                        Node.SECOND_STANDBY, RestartHold.When.BEFORE_RESTART, List.of(Node.FIRST_STANDBY)),
                new MigrationKillPoint("second standby restarted on the new seal, before its keys", Node.SECOND_STANDBY,
                        RestartHold.When.AFTER_RESTART, List.of(Node.FIRST_STANDBY)),
                new MigrationKillPoint("second standby given its keys, before the active node's stop", Node.ACTIVE,
                        RestartHold.When.BEFORE_STOP, List.of(Node.FIRST_STANDBY, Node.SECOND_STANDBY)),
                new MigrationKillPoint("active node stopped, a standby leading on awskms, before the active node's start",
                        Node.ACTIVE, RestartHold.When.BEFORE_RESTART, List.of(Node.FIRST_STANDBY, Node.SECOND_STANDBY)),
                new MigrationKillPoint("active node started on awskms, before the run's final checks", Node.ACTIVE,
                        RestartHold.When.AFTER_RESTART, List.of(Node.FIRST_STANDBY, Node.SECOND_STANDBY)),
                new MigrationKillPoint("first standby's files written, the controller and the hosts' SSH sessions killed "
                        + "before its restart", Node.FIRST_STANDBY, RestartHold.When.BEFORE_RESTART, List.of(), true),
                new MigrationKillPoint("active node stopped, its files written, the controller and the hosts' SSH sessions "
                        + "killed before its start", Node.ACTIVE, RestartHold.When.BEFORE_RESTART,
                        List.of(Node.FIRST_STANDBY, Node.SECOND_STANDBY), true));
    }
}
