package io.vaultcfg.run;

import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** One connection per host for the whole run, shared by every play; closed at the end. */
final class Sessions implements AutoCloseable {
    private final SshConnector connector;
    private final Executor background;
    private final Map<String, RemoteSession> open = new ConcurrentHashMap<>();

    /** @param background where connections are closed without waiting (the run's scheduler) */
    Sessions(SshConnector connector, Executor background) {
        this.connector = connector;
        this.background = background;
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

    /**
     * Drops a host's connection without waiting: after a deadline or the output cap, the host may be too
     * hung to acknowledge a goodbye, and the run must not wait for it.
     */
    void abandon(String host) {
        RemoteSession session = open.remove(host);
        if (session != null) {
            closeInBackground(List.of(session));
        }
    }

    /**
     * Hangs up every connection without waiting for the hosts to acknowledge: the run's results are
     * already in, and a run should end when its last host is done, not after 50 goodbyes. The closes
     * finish on the scheduler's daemon threads within milliseconds (or with the process, whose sockets the
     * OS closes).
     */
    @Override
    public void close() {
        List<RemoteSession> sessions = new ArrayList<>(open.values());
        open.clear();
        closeInBackground(sessions);
    }

    private void closeInBackground(List<RemoteSession> sessions) {
        sessions.forEach(session -> background.execute(session::close));
    }
}
