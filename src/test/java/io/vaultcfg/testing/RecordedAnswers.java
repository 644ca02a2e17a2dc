package io.vaultcfg.testing;

import io.vaultcfg.vault.NodeAnswer;
import io.vaultcfg.vault.NodeRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The three token-less answers of one node, as captured from a real server: a fixture directory holds
 * {@code seal-status.json}, {@code health.json}, {@code leader.json} and their HTTP statuses in
 * {@code status.properties}. Fleet tests write them (system property {@value #CAPTURE_PROPERTY} names the
 * directory), unit tests read them from the classpath.
 */
public record RecordedAnswers(NodeAnswer sealStatus, NodeAnswer health, NodeAnswer leader) {
    public static final String CAPTURE_PROPERTY = "vaultcfg.captureAnswers";
    private static final String[] ENDPOINTS = {"seal-status", "health", "leader"};

    public NodeRole role() {
        return NodeRole.read(sealStatus, health, leader);
    }

    /** A fixture under {@code src/test/resources/<directory>}. */
    public static RecordedAnswers load(String directory) throws IOException {
        Properties status = new Properties();
        status.load(new StringReader(resource(directory + "/status.properties")));
        NodeAnswer[] answers = new NodeAnswer[ENDPOINTS.length];
        for (int i = 0; i < ENDPOINTS.length; i++) {
            answers[i] = new NodeAnswer(Integer.parseInt(status.getProperty(ENDPOINTS[i])), resource(directory + "/" + ENDPOINTS[i] + ".json"));
        }
        return new RecordedAnswers(answers[0], answers[1], answers[2]);
    }

    /** Saves these answers as fixture {@code name} when {@value #CAPTURE_PROPERTY} is set; does nothing otherwise. */
    public void captureAs(String name) throws IOException {
        String base = System.getProperty(CAPTURE_PROPERTY);
        if (base == null || base.isBlank()) {
            return;
        }
        Path dir = Files.createDirectories(Path.of(base, name));
        NodeAnswer[] answers = {sealStatus, health, leader};
        StringBuilder status = new StringBuilder();
        for (int i = 0; i < ENDPOINTS.length; i++) {
            Files.writeString(dir.resolve(ENDPOINTS[i] + ".json"), answers[i].body());
            status.append(ENDPOINTS[i]).append('=').append(answers[i].status()).append('\n');
        }
        Files.writeString(dir.resolve("status.properties"), status);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RecordedAnswers.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
