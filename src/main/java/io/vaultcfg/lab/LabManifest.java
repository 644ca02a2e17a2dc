package io.vaultcfg.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a running lab writes about itself: enough for status and down, no secrets. {@code started} and
 * {@code commandLine} identify the lab's process, so a stale file never makes down signal another one.
 */
public record LabManifest(long pid, String started, String commandLine, String awsEndpoint, List<Host> hosts) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Host(String name, int sshPort, String vaultAddress, String root) {
    }

    public static LabManifest of(Lab lab) {
        ProcessIdentity self = ProcessIdentity.of(ProcessHandle.current());
        return new LabManifest(self.pid(), self.started(), self.commandLine(), lab.aws().endpoint(),
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

    public ProcessIdentity process() {
        return new ProcessIdentity(pid, started, commandLine);
    }

    /** The lab's own process is still running: same pid, start instant and command line. */
    public boolean alive() {
        return process().handle().filter(process()::isStill).isPresent();
    }
}
