package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Where the standalone emulator's admin secret comes from. Never the command line (every local user can read it
 * with {@code ps}): the environment variable {@value #ENVIRONMENT_VARIABLE}, a file, or, when neither is given, a
 * random secret that {@link #writeCredentials} saves owner-only for the operator.
 *
 * @param secret    the secret access key of the account root
 * @param generated true when it was made up here, so the operator still has to be told where it is
 */
public record AdminSecret(String secret, boolean generated) {
    public static final String ENVIRONMENT_VARIABLE = "VAULTCFG_EMULATOR_ADMIN_SECRET";
    public static final String CREDENTIALS_PROFILE = "vaultcfg-emulator";

    @Override
    public String toString() {
        return "AdminSecret[<redacted>, generated=" + generated + "]";
    }

    /**
     * The secret from {@code secretFile} (its first line) when given, else from the environment, else a random one.
     *
     * @throws IllegalArgumentException naming the file or variable when it is unreadable or empty
     */
    public static AdminSecret resolve(Path secretFile, Map<String, String> environment) {
        if (secretFile != null) {
            return new AdminSecret(readFirstLine(secretFile), false);
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null) {
            if (fromEnvironment.isBlank()) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is set but empty");
            }
            return new AdminSecret(fromEnvironment.strip(), false);
        }
        byte[] random = new byte[30];
        new SecureRandom().nextBytes(random);
        return new AdminSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
    }

    private static String readFirstLine(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": --admin-secret-file: no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": --admin-secret-file: cannot read (" + e.getClass().getSimpleName() + ")");
        }
        String firstLine = content.lines().findFirst().orElse("").strip();
        if (firstLine.isEmpty()) {
            throw new IllegalArgumentException(file + ":1: --admin-secret-file: the first line (the secret) is empty");
        }
        return firstLine;
    }

    /**
     * Writes {@code admin} as an AWS shared-credentials file (profile {@value #CREDENTIALS_PROFILE}), created
     * owner-only (0600) so that no other user can read it even for a moment. An existing file is replaced.
     */
    public static void writeCredentials(Path file, AccessKeyPair admin) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# vaultcfg aws-emulator: the local emulator's admin identity (not an AWS account).\n"
                + "[" + CREDENTIALS_PROFILE + "]\naws_access_key_id = " + admin.accessKeyId()
                + "\naws_secret_access_key = " + admin.secretAccessKey() + "\n");
    }

    /** A new directory only the current user can enter, for the credentials file of a generated secret. */
    public static Path privateTempFile() throws IOException {
        Path dir = Files.createTempDirectory("vaultcfg-aws-emulator-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir.resolve("credentials");
    }
}
