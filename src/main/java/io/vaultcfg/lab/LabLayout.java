package io.vaultcfg.lab;

import java.nio.file.Path;

/** Where everything of a lab lives: one directory, which {@code lab down} removes. */
public record LabLayout(Path dir) {
    public Path host(String name) {
        return dir.resolve("hosts").resolve(name);
    }

    public Path clientKey() {
        return dir.resolve("ssh").resolve("id_ed25519");
    }

    public Path knownHosts() {
        return dir.resolve("ssh").resolve("known_hosts");
    }

    public Path inventory() {
        return dir.resolve("inventory.yml");
    }

    public Path emulatorState() {
        return dir.resolve("aws-emulator-state.json");
    }

    public Path awsCredentials() {
        return dir.resolve("aws-credentials");
    }

    /** Written when the lab is up: ports, pids; what status and down read. */
    public Path manifest() {
        return dir.resolve("lab.json");
    }

    public Path log() {
        return dir.resolve("lab.log");
    }
}
