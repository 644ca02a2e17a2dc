/**
 * What a Vault or OpenBao node says about itself without a token ({@code sys/seal-status}, {@code sys/health},
 * {@code sys/leader}), read into a typed {@link io.vaultcfg.vault.NodeRole}. Pure functions over the answers: how
 * they are fetched (curl on the host, HTTP in tests) is the caller's business. Depends only on {@code json}.
 */
package io.vaultcfg.vault;
