package io.vaultcfg.ssh;

/** Opens sessions; the one seam between the engine and the transport. */
public interface SshConnector {
    RemoteSession connect(SshTarget target) throws HostUnreachableException;
}
