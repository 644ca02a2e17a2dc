package io.vaultcfg.run;

import java.util.List;

/**
 * The order hosts run in: batches one after another (a play's {@code serial}); within a batch, groups
 * side by side, at most {@code forks} hosts at once; within a group, hosts one at a time. Today every
 * host is a group of its own; a group per cluster gives a rolling order (one node at a time per
 * cluster, clusters in parallel).
 */
record HostOrder<H>(List<Batch<H>> batches) {
    record Batch<H>(List<Group<H>> groups) {
    }

    record Group<H>(List<H> hosts) {
    }

    /** Each batch's hosts side by side, each host a group of its own. */
    static <H> HostOrder<H> eachHostAlone(List<List<H>> batches) {
        return new HostOrder<>(batches.stream()
                .map(batch -> new Batch<>(batch.stream().map(host -> new Group<>(List.of(host))).toList()))
                .toList());
    }

    /** One batch of every host, each on its own. */
    static <H> HostOrder<H> allAtOnce(List<H> hosts) {
        return eachHostAlone(List.of(hosts));
    }
}
