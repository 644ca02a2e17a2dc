package io.vaultcfg.plan;

/** Something a task needs to know about a host before its change can be computed. */
public sealed interface FactQuery permits FactQuery.FileQuery, FactQuery.CommandQuery {

    /** Type, mode, owner, group and (optionally) content of one path. */
    record FileQuery(String path, boolean content) implements FactQuery {
    }

    /** A read-only command whose exit code and output are the fact (e.g. "vault status -format=json"). */
    record CommandQuery(String shell) implements FactQuery {
    }
}
