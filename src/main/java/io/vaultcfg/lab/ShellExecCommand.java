package io.vaultcfg.lab;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One SSH exec request run as {@code /bin/sh -c command} by the current OS user, with blocking
 * pumps (one thread per stream) rather than MINA's polling inverted shell.
 */
final class ShellExecCommand implements Command {
    private final String command;
    private final ProcessBuilder processTemplate;
    private final ExecutorService pumps;
    private InputStream channelIn;
    private OutputStream channelOut;
    private OutputStream channelErr;
    private ExitCallback exitCallback;
    private volatile Process process;

    ShellExecCommand(String command, ProcessBuilder processTemplate, ExecutorService pumps) {
        this.command = command;
        this.processTemplate = processTemplate;
        this.pumps = pumps;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.channelIn = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.channelOut = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.channelErr = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(processTemplate.directory());
        builder.environment().clear();
        builder.environment().putAll(processTemplate.environment());
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            writeQuietly(channelErr, ("sh: cannot start: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            exitCallback.onExit(127);
            return;
        }
        process = started;
        pumps.execute(() -> copyStdin(started));
        CompletableFuture<Void> out = CompletableFuture.runAsync(() -> copy(started.getInputStream(), channelOut), pumps);
        CompletableFuture<Void> err = CompletableFuture.runAsync(() -> copy(started.getErrorStream(), channelErr), pumps);
        CompletableFuture.allOf(out, err).whenComplete((ignored, failure) -> {
            int exit = waitFor(started);
            exitCallback.onExit(exit);
        });
    }

    private void copyStdin(Process started) {
        byte[] buffer = new byte[32 * 1024];
        OutputStream toProcess = started.getOutputStream();
        boolean processReading = true;
        try {
            int n;
            while ((n = channelIn.read(buffer)) >= 0) {
                if (processReading) {
                    try {
                        toProcess.write(buffer, 0, n);
                        toProcess.flush();
                    } catch (IOException processClosedStdin) {
                        // keep draining the channel so the client's writes never stall on a full window
                        processReading = false;
                    }
                }
            }
        } catch (IOException channelGone) {
            // the client closed the channel: nothing more will arrive
        } finally {
            try {
                toProcess.close();
            } catch (IOException ignored) {
                // already closed by the process side
            }
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        try (from) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the client closed the channel: nothing left to deliver to
        }
    }

    private static int waitFor(Process started) {
        try {
            return started.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            return 255;
        }
    }

    private static void writeQuietly(OutputStream to, byte[] data) {
        try {
            to.write(data);
            to.flush();
        } catch (IOException ignored) {
            // best effort: the exit code carries the failure too
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
