package io.vaultcfg.plan;

import java.time.Duration;

/** Something a task needs to know about a host before its change can be computed. */
public sealed interface FactQuery permits FactQuery.FileQuery, FactQuery.CommandQuery {

    /** Type, mode, owner, group and (optionally) content of one path. */
    record FileQuery(String path, boolean content) implements FactQuery {
    }

    /**
     * A read-only command whose exit code and output are the fact (e.g. "vault status -format=json").
     *
     * @param budget the longest it may take on a working host; adds to the facts script's deadline
     */
    record CommandQuery(String shell, Duration budget) implements FactQuery {
        /** A local query such as {@code systemctl is-active}. */
        public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

        public CommandQuery(String shell) {
            this(shell, DEFAULT_BUDGET);
        }
    }
}
