package io.vaultcfg.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A second OpenBao, in dev mode on the controller's loopback, serving the transit engine (key {@value #KEY}) that a
 * TRANSIT cluster's nodes auto-unseal with. Its pid file lies in a fleet host's directory, so closing the fleet (or a
 * later fleet's clean-up) stops it too. Its root token is the nodes' transit token: in memory and their vault.hcl only.
 */
final class TransitServer implements AutoCloseable {
    static final String KEY = "autounseal";

    private final Process process;
    private final String address;
    private final String token;

    private TransitServer(Process process, String address, String token) {
        this.process = process;
        this.address = address;
        this.token = token;
    }

    static TransitServer start(FleetHost pidHome) throws IOException {
        Path bao = Fleet.baoBinary().orElseThrow(() -> new IOException("bao not installed"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = "transit-" + HexFormat.of().formatHex(random);
        String address = "http://127.0.0.1:" + port;
        ProcessBuilder builder = new ProcessBuilder(bao.toString(), "server", "-dev", "-dev-listen-address=127.0.0.1:" + port,
                "-dev-root-token-id=" + token).redirectErrorStream(true)
                .redirectOutput(pidHome.dir().resolve("transit.log").toFile());
        builder.environment().put("HOME", pidHome.dir().toString());
        Process process = builder.start();
        Files.writeString(pidHome.dir().resolve("transit.pid"), String.valueOf(process.pid()));
        TransitServer server = new TransitServer(process, address, token);
        try {
            BaoHttp http = new BaoHttp();
            Awaitility.await("the transit server up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> http.get(address, "sys/health").status() == 200);
            http.write(address, "sys/mounts/transit", token, Map.of("type", "transit"));
            http.write(address, "transit/keys/" + KEY, token, Map.of());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The seal stanza written by hand into the node's vault.hcl. */
    void writeStanza(FleetHost host) throws IOException {
        Path main = host.path("/etc/vault.d/vault.hcl");
        Files.writeString(main, Files.readString(main) + "\nseal \"transit\" {\n  address         = \"" + address + "\"\n"
                + "  token           = \"" + token + "\"\n  key_name        = \"" + KEY + "\"\n  mount_path      = \"transit/\"\n"
                + "  disable_renewal = \"true\"\n}\n");
        Shell.check(List.of("chown", "vault:vault", main.toString()));
    }

    String token() {
        return token;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
