package io.vaultcfg.testing;

import io.vaultcfg.ssh.CommandTimeoutException;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs "remote" commands with the local /bin/sh, as sshd would. Lets engine tests exercise the real
 * generated scripts without SSH; hosts named in {@code unreachable} refuse the connection.
 */
public final class LocalConnector implements SshConnector {
    private final Set<String> unreachable;
    private final java.util.Map<String, String> environment;

    public LocalConnector(Set<String> unreachable) {
        this(unreachable, java.util.Map.of());
    }

    /** @param environment extra environment for every command (e.g. PATH with stand-in tools first) */
    public LocalConnector(Set<String> unreachable, java.util.Map<String, String> environment) {
        this.unreachable = unreachable;
        this.environment = environment;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        if (unreachable.contains(target.name())) {
            throw new HostUnreachableException("connection refused by " + target.address() + ":" + target.port());
        }
        return new RemoteSession() {
            @Override
            public ExecResult exec(String command, byte[] stdin, java.time.Duration deadline) throws IOException {
                ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
                builder.environment().putAll(environment);
                builder.environment().put("LOCAL_HOST_NAME", target.name()); // stand-ins may keep each host's state apart
                Process process = builder.start();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                }
                try {
                    if (!process.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        throw new CommandTimeoutException("command on " + target.name() + " did not finish within "
                                + deadline.toMillis() + " ms");
                    }
                    return new ExecResult(process.exitValue(), out.join(), err.join());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
