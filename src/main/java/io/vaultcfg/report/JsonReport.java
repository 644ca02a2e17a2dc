package io.vaultcfg.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code --report FILE.json}: the same facts as the console, machine-readable. Already redacted. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static ObjectNode toJson(RunResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", result.check() ? "check" : "apply");
        root.put("exit_code", result.exitCode());
        root.put("changes_pending", result.check() && result.anyChange());
        ObjectNode recap = root.putObject("recap");
        result.recap().forEach((host, counts) -> {
            ObjectNode node = recap.putObject(host);
            node.put("ok", counts.ok());
            node.put("changed", counts.changed());
            node.put("unreachable", counts.unreachable());
            node.put("failed", counts.failed());
            node.put("skipped", counts.skipped());
        });
        ArrayNode hosts = root.putArray("results");
        for (HostResult host : result.hosts()) {
            ObjectNode node = hosts.addObject();
            node.put("play", host.play());
            node.put("host", host.host());
            node.put("status", host.unreachable() ? "unreachable" : host.failed() ? "failed"
                    : host.count(io.vaultcfg.plan.StepStatus.CHANGED) > 0 ? "changed" : "ok");
            host.error().ifPresent(error -> node.put("error", error));
            ArrayNode steps = node.putArray("tasks");
            for (StepResult step : host.steps()) {
                ObjectNode stepNode = steps.addObject();
                stepNode.put("task", step.task());
                stepNode.put("module", step.module());
                stepNode.put("status", step.status().label());
                stepNode.put("message", step.message());
                step.diff().ifPresent(diff -> stepNode.put("diff", diff));
            }
        }
        return root;
    }

    /** Written to a temp file beside the target, then renamed, so a reader never sees half a report. */
    public static void write(RunResult result, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".vaultcfg-report", ".json");
            JSON.writeValue(temp.toFile(), toJson(result));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }
}
