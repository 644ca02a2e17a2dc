package io.vaultcfg.vault;

/**
 * What one token-less endpoint of a node answered: the HTTP status and the body. OpenBao and Vault answer
 * {@code sys/health} with a status that encodes the node's state (429 standby, 501 not initialized, 503 sealed),
 * and {@code sys/leader} with 503 on a sealed node: neither is a failure.
 */
public record NodeAnswer(int status, String body) {
    public NodeAnswer {
        body = body == null ? "" : body;
    }
}
