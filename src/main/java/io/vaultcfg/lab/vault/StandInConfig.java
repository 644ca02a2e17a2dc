package io.vaultcfg.lab.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of Vault's HCL server config the stand-in understands: {@code listener "tcp"},
 * {@code storage "file"} and {@code seal "awskms"}, merged over several -config files like Vault does.
 */
record StandInConfig(String listenAddress, Path storagePath, Optional<Map<String, String>> awsKmsSeal) {
    private static final Pattern BLOCK = Pattern.compile("(\\w+)\\s+\"(\\w+)\"\\s*\\{([^}]*)}", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)");

    static StandInConfig load(List<Path> files) throws IOException {
        String listen = null;
        Path storage = null;
        Map<String, String> seal = null;
        for (Path file : files) {
            String text = stripComments(Files.readString(file));
            Matcher block = BLOCK.matcher(text);
            while (block.find()) {
                Map<String, String> attributes = attributes(block.group(3));
                String kind = block.group(1) + " " + block.group(2);
                switch (kind) {
                    case "listener tcp" -> listen = attributes.getOrDefault("address", "127.0.0.1:8200");
                    case "storage file", "storage raft" -> storage = Path.of(attributes.get("path"));
                    case "seal awskms" -> seal = attributes;
                    default -> {
                    }
                }
            }
        }
        if (listen == null || storage == null) {
            throw new IOException("config needs a listener \"tcp\" and a storage \"raft\" or \"file\" block");
        }
        return new StandInConfig(listen, storage, Optional.ofNullable(seal));
    }

    private static Map<String, String> attributes(String body) {
        Map<String, String> attributes = new HashMap<>();
        Matcher matcher = ATTRIBUTE.matcher(body);
        while (matcher.find()) {
            String value = matcher.group(3) != null ? matcher.group(3).replace("\\\"", "\"") : matcher.group(2);
            attributes.put(matcher.group(1), value);
        }
        return attributes;
    }

    private static String stripComments(String text) {
        return text.replaceAll("(?m)^\\s*(#|//).*$", "");
    }
}
