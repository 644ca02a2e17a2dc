package io.vaultcfg.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on 127.0.0.1 and a free port (not the fleet's addresses: no fleet lock needed),
 * logging at VERBOSE so a test can read which key or certificate it accepted. Logins as the user running
 * the test, with key files in {@code authorized_keys} or certificates of a CA in {@code trusted_user_ca_keys}
 * (both read by sshd at each login, so a test may change them while it runs).
 */
public final class LocalSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;
    private final String hostKeyLine;

    private LocalSshd(Path dir, int port, Process process, String hostKeyLine) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.hostKeyLine = hostKeyLine;
    }

    /** Skips the test where sshd cannot run as it needs (root, Linux), or fails it when CI requires it. */
    public static LocalSshd start(Path dir) throws IOException {
        String missing = !Files.isExecutable(Path.of("/usr/sbin/sshd")) ? "/usr/sbin/sshd is missing (openssh-server)"
                : !"root".equals(System.getProperty("user.name")) ? "sshd needs root here (privilege separation)" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("VAULTCFG_REQUIRE_FLEET"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = ClientKeyPair.generate(dir, "ssh_host_ed25519_key").privateKey();
        Files.writeString(dir.resolve("authorized_keys"), "");
        Files.writeString(dir.resolve("trusted_user_ca_keys"), "");
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress 127.0.0.1:" + port,
                "HostKey " + hostKey,
                "PidFile none",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "TrustedUserCAKeys " + dir.resolve("trusted_user_ca_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                ""));
        Process process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        String key = Files.readString(Path.of(hostKey + ".pub"), StandardCharsets.UTF_8).trim().replaceAll("\\s+\\S+$", "");
        LocalSshd sshd = new LocalSshd(dir, port, process, key);
        sshd.awaitListening();
        return sshd;
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IOException("sshd did not start: " + log());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    /** known_hosts line for this server: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA…}. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port + " " + hostKeyLine;
    }

    public void authorize(String publicKeyLine) throws IOException {
        Files.writeString(dir.resolve("authorized_keys"), publicKeyLine + "\n");
    }

    public void trustUserCa(Path caPublicKey) throws IOException {
        Files.writeString(dir.resolve("trusted_user_ca_keys"), Files.readString(caPublicKey));
    }

    /** sshd's log so far. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
    }

    /** The lines in which sshd accepted a login. */
    public List<String> acceptedLogins() throws IOException {
        return log().lines().filter(line -> line.contains("Accepted publickey for")).toList();
    }

    /** Signs {@code publicKey} with {@code ca} as a user certificate for this server's login user; returns the certificate file. */
    public Path certify(Path ca, Path publicKey, String id) throws IOException {
        run("ssh-keygen", "-q", "-s", ca.toString(), "-I", id, "-n", user(), "-z", "7", publicKey.toString());
        return Path.of(publicKey.toString().replaceAll("\\.pub$", "") + "-cert.pub");
    }

    public static void run(String... command) throws IOException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            child.getOutputStream().close();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
