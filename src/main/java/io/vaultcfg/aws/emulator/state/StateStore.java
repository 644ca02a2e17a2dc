package io.vaultcfg.aws.emulator.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * Saves and loads {@link StateSnapshot}s as JSON. The file holds KMS key material and IAM secrets in clear text
 * (it is a lab/test store), so it is written owner-only (0600) and replaced atomically: a crash mid-write leaves
 * the previous file intact.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantDeserializer()));

    private final Path file;

    public StateStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The saved state, or a fresh one for {@code accountId} when the file does not exist yet. */
    public EmulatorState loadOrCreate(String accountId) throws IOException {
        if (!Files.exists(file)) {
            return new EmulatorState(accountId);
        }
        StateSnapshot snapshot = JSON.readValue(file.toFile(), StateSnapshot.class);
        if (snapshot.formatVersion() != StateSnapshot.CURRENT_FORMAT) {
            throw new IOException("State file " + file + " has format " + snapshot.formatVersion()
                    + "; this emulator reads format " + StateSnapshot.CURRENT_FORMAT);
        }
        if (accountId != null && !accountId.equals(snapshot.accountId())) {
            throw new IOException("State file " + file + " belongs to account " + snapshot.accountId()
                    + ", not " + accountId + "; start with --account-id " + snapshot.accountId()
                    + " or use another state file");
        }
        return EmulatorState.restore(snapshot);
    }

    public void save(StateSnapshot snapshot) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temp);
            }
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write emulator state to " + file, e);
        }
    }

    private static final class InstantDeserializer extends StdDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Instant.parse(parser.getValueAsString());
        }
    }
}
