package io.vaultcfg.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** An unencrypted OpenSSH key pair made by {@code ssh-keygen}, as a user would have it. */
public record ClientKeyPair(Path privateKey, Path publicKey) {

    public static ClientKeyPair generate(Path directory, String name) throws IOException {
        return generate(directory, name, "ed25519");
    }

    public static ClientKeyPair generate(Path directory, String name, String type) throws IOException {
        Files.createDirectories(directory);
        Path key = directory.resolve(name);
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        try {
            keygen.getOutputStream().close();
            String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new IOException("ssh-keygen failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ssh-keygen", e);
        }
        return new ClientKeyPair(key, directory.resolve(name + ".pub"));
    }

    public String publicKeyLine() throws IOException {
        return Files.readString(publicKey, StandardCharsets.UTF_8).trim();
    }
}
