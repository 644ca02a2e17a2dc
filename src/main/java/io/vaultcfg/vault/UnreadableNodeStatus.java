package io.vaultcfg.vault;

/**
 * A node's answers do not say what its role is. The message names the endpoint and what was missing, never
 * the body: a managed host is not trusted, and what it sends is not echoed into vaultcfg's output.
 */
public final class UnreadableNodeStatus extends IllegalArgumentException {
    UnreadableNodeStatus(String message) {
        super(message);
    }
}
