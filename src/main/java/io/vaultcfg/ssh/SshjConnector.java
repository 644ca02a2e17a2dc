package io.vaultcfg.ssh;

/** TEMPORARY stub until the ssh branch lands. */
public final class SshjConnector implements SshConnector {
    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        throw new HostUnreachableException("sshj connector not merged yet");
    }
}
