package io.vaultcfg.run;

import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One connection per host for the whole run, shared by every play; closed at the end. */
final class Sessions implements AutoCloseable {
    private final SshConnector connector;
    private final Map<String, RemoteSession> open = new ConcurrentHashMap<>();

    Sessions(SshConnector connector) {
        this.connector = connector;
    }

    RemoteSession open(SshTarget target) throws HostUnreachableException {
        RemoteSession session = open.get(target.name());
        if (session == null) {
            session = connector.connect(target);
            open.put(target.name(), session);
        }
        return session;
    }

    void discard(String host) {
        RemoteSession session = open.remove(host);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void close() {
        open.values().parallelStream().forEach(RemoteSession::close);
        open.clear();
    }
}
