package io.vaultcfg.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** What a running lab writes about itself: enough for status and down, no secrets. */
public record LabManifest(long pid, String awsEndpoint, List<Host> hosts) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Host(String name, int sshPort, String vaultAddress, String root) {
    }

    public static LabManifest of(Lab lab) {
        return new LabManifest(ProcessHandle.current().pid(), lab.aws().endpoint(),
                lab.hosts().stream().map(h -> new Host(h.name(), h.sshPort(), h.vaultAddress(), h.root().toString())).toList());
    }

    public void write(Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), this);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<LabManifest> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), LabManifest.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
