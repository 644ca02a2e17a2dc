package io.vaultcfg.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * {@code --report FILE.json}: the same facts as the console, machine-readable, already redacted. Every
 * task of every host is written as its result arrives, to a temp file beside the target that is renamed
 * over it once the run finished, so a reader never sees half a report and the run holds no host's lines.
 * The controller's results have {@code "kind" : "controller"} and no host; a host's {@code "kind" : "host"}. Each result
 * is a {@link ReportRecord}, as in the JUnit XML report.
 */
public final class JsonReport implements RunListener, AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private Path temp;
    private JsonGenerator json;
    private boolean finished;

    public JsonReport(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void on(RunEvent event) {
        try {
            Optional<ReportRecord> record = ReportRecord.of(event);
            if (event instanceof RunEvent.PlayStarted started && json == null) {
                open(started.check());
            } else if (record.isPresent()) {
                write(record.get());
            } else if (event instanceof RunEvent.RunFinished finished) {
                if (json == null) {
                    open(finished.result().check());
                }
                end(finished.result());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the temp file now (before any host is contacted, so a report that cannot be written stops nothing half-way). */
    public synchronized void open(boolean check) throws IOException {
        if (json != null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        temp = Files.createTempFile(dir, ".vaultcfg-report", ".json");
        json = JSON.createGenerator(Files.newBufferedWriter(temp)).useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeStringField("mode", check ? "check" : "apply");
        json.writeArrayFieldStart("results");
    }

    private void write(ReportRecord record) throws IOException {
        json.writeStartObject();
        json.writeStringField("play", record.play());
        json.writeStringField("kind", record.kind());
        if (record.host().isPresent()) {
            json.writeStringField("host", record.host().get());
        }
        json.writeStringField("status", record.status().label());
        tasks(record.tasks(), record.error());
    }

    private void tasks(List<StepResult> steps, Optional<String> error) throws IOException {
        if (error.isPresent()) {
            json.writeStringField("error", error.get());
        }
        json.writeArrayFieldStart("tasks");
        for (StepResult step : steps) {
            json.writeStartObject();
            json.writeStringField("task", step.task());
            json.writeStringField("module", step.module());
            json.writeStringField("status", step.status().label());
            json.writeStringField("message", step.message());
            if (step.diff().isPresent()) {
                json.writeStringField("diff", step.diff().get());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void end(RunResult result) throws IOException {
        json.writeEndArray();
        json.writeNumberField("exit_code", result.exitCode());
        json.writeBooleanField("changes_pending", result.check() && result.anyChange());
        json.writeObjectFieldStart("recap");
        for (var entry : result.recap().entrySet()) {
            json.writeFieldName(entry.getKey());
            counts(entry.getValue());
        }
        json.writeEndObject();
        if (result.controllerRecap().isPresent()) {
            json.writeFieldName("controller_recap");
            counts(result.controllerRecap().get());
        }
        json.writeEndObject();
        json.close();
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
    }

    private void counts(RunResult.Recap counts) throws IOException {
        json.writeStartObject();
        json.writeNumberField("ok", counts.ok());
        json.writeNumberField("changed", counts.changed());
        json.writeNumberField("unreachable", counts.unreachable());
        json.writeNumberField("failed", counts.failed());
        json.writeNumberField("skipped", counts.skipped());
        json.writeEndObject();
    }

    /** A run that ended before its recap leaves no report, and no temp file either. */
    @Override
    public synchronized void close() {
        if (finished || temp == null) {
            return;
        }
        try {
            json.close();
        } catch (IOException ignored) {
            // removed below in any case
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a hidden, partial temp file is all that is left
        }
    }
}
