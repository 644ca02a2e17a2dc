package io.vaultcfg.aws.emulator.policy;

public enum Effect { Allow, Deny }
