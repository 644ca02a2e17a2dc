package io.vaultcfg.lab;

/** The lab's AWS: an endpoint, the admin identity that provisions, and how to stop it. */
public record LabAws(String endpoint, String adminAccessKeyId, String adminSecretAccessKey, AutoCloseable handle) {

    /** Starts the lab's AWS endpoint, keeping its state in {@code stateFile}. */
    @FunctionalInterface
    public interface Factory {
        LabAws start(java.nio.file.Path stateFile, int preferredPort) throws Exception;
    }
}
