package io.vaultcfg.aws.emulator.policy;

/** Outcome of evaluating a set of identity policies for one action on one resource. */
public enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }
