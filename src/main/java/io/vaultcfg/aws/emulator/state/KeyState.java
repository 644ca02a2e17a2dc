package io.vaultcfg.aws.emulator.state;

/** KMS key states this emulator models; names match the wire values. */
public enum KeyState { Enabled, Disabled, PendingDeletion }
