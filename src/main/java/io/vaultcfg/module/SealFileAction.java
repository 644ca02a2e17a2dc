package io.vaultcfg.module;

import io.vaultcfg.module.SealStanzas.Seal;
import io.vaultcfg.module.ServiceConfigRead.FileRead;
import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.shell.FileScripts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One part of a node's awskms seal set-up for one host (see {@link AwskmsSealModule}). */
final class SealFileAction implements Action {
    /** The access key pair the hosts should hold (the controller's, or the operator's). */
    record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", secret: <redacted>]";
        }
    }

    private final String part;
    private final Optional<String> dest;
    private final Optional<Action> template;
    private final Optional<String> owner;
    private final Optional<String> group;
    private final Optional<FileMode> mode;
    private final ServiceConfigFact service;
    private final SealAdoption.Planned planned;
    private final Credentials wanted;
    private final Redactor redactor;

    SealFileAction(String part, Optional<String> dest, Optional<Action> template, Optional<String> owner,
                   Optional<String> group, Optional<FileMode> mode, ServiceConfigFact service, SealAdoption.Planned planned,
                   Credentials wanted, Redactor redactor) {
        this.part = part;
        this.dest = dest;
        this.template = template;
        this.owner = owner;
        this.group = group;
        this.mode = mode;
        this.service = service;
        this.planned = planned;
        this.wanted = wanted;
        this.redactor = redactor;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(template.map(Action::facts).orElse(List.of()));
        facts.add(service);
        if (part.equals("credentials")) {
            facts.add(running());
        }
        return facts;
    }

    @Override
    public Step plan(PlanContext context) {
        SealAdoption.Decision decision = decide(context.facts().get(service), service, planned, redactor);
        if (decision.refusal().isPresent()) {
            return Step.failed("refused: " + decision.refusal().get() + "; nothing was changed on this node");
        }
        return switch (part) {
            case "credentials" -> credentials(decision, context);
            case "stanza" -> stanza(decision, context);
            case "former_stanza" -> formerStanza(decision);
            default -> unit(decision, context);
        };
    }

    /** The decision for one host's read; every secret-looking value it read is given to the redactor first. */
    static SealAdoption.Decision decide(ServiceConfigRead read, ServiceConfigFact service, SealAdoption.Planned planned,
                                        Redactor redactor) {
        EffectiveServiceConfig config = EffectiveServiceConfig.of(read, service.unitDir(), planned.envFile(), planned.sealFile());
        SealSecrets.register(config, redactor);
        return SealAdoption.decide(config, planned);
    }

    private Step credentials(SealAdoption.Decision decision, PlanContext context) {
        // vaultcfg's own env file beside vaultcfg's own stanza is the template's, drift and all; only a set-up made
        // by hand (the stanza elsewhere) keeps an env file at this path as it is
        boolean ownLayout = decision.credentials().filter(dest.get()::equals).isPresent() && !decision.adoptedElsewhere();
        if (decision.credentials().isEmpty() || ownLayout) {
            return restartIfRunningOnAnother(template.get().plan(context), dest.get(), context);
        }
        String path = decision.credentials().get();
        FileRead file = decision.config().envFiles().get(path);
        Map<String, String> held = EnvFile.variables(file.text().orElse(""));
        boolean same = wanted.accessKeyId().equals(held.get("AWS_ACCESS_KEY_ID"))
                && wanted.secretAccessKey().equals(held.get("AWS_SECRET_ACCESS_KEY"));
        if (!same) {
            String before = file.text().get();
            String after = EnvFileEdit.withCredentials(before, wanted.accessKeyId(), wanted.secretAccessKey());
            return Step.changed("adopted, to be fixed: " + path + " (loaded by the unit) gets access key " + wanted.accessKeyId()
                            + " in place of " + held.getOrDefault("AWS_ACCESS_KEY_ID", "?") + "; its other lines are kept",
                    Optional.of(EnvFileEdit.diff(path, before, after, redactor)), write(path, after.getBytes(StandardCharsets.UTF_8), true));
        }
        List<String> drift = RemoteFiles.attributeDrift(file.state(), owner, group, mode);
        if (drift.isEmpty()) {
            return restartIfRunningOnAnother(Step.ok("adopted as is: " + path + " (loaded by the unit) holds the fleet's access key "
                    + wanted.accessKeyId()), path, context);
        }
        // the service loaded this very content: fixing its owner or mode needs no restart
        return Step.changed("adopted, to be fixed: " + path + " (loaded by the unit, holds the fleet's access key): "
                + String.join(", ", drift) + "; no restart", Optional.empty(), write(path, file.state().content().get(), true))
                .quietly();
    }

    private RunningAccessKeyFact running() {
        return new RunningAccessKeyFact(service.unit());
    }

    /**
     * The file already holds the wanted key, but the service still runs on another, or on none (started before the file
     * existed, as a Shamir node to migrate): a run cut off between writing the file and the restart it notifies
     * (controller and host session killed) left it so. It needs that restart now, or a
     * rotation would deactivate the key the running node uses.
     */
    private Step restartIfRunningOnAnother(Step inSync, String path, PlanContext context) {
        if (inSync.status() != StepStatus.OK || wanted.accessKeyId().isEmpty() || wanted.accessKeyId().startsWith("(")) {
            return inSync;
        }
        RunningAccessKeyFact.Running running = context.facts().get(running());
        if (!running.read() || running.keyId().equals(Optional.of(wanted.accessKeyId()))) {
            return inSync;
        }
        return Step.changed(path + " holds access key " + wanted.accessKeyId() + " but " + service.unit() + " still runs "
                + running.keyId().map(id -> "on " + id).orElse("without an access key")
                + " (the restart after the file was written did not happen): restart", Optional.empty(), RemoteAction.of(":"));
    }

    private Step stanza(SealAdoption.Decision decision, PlanContext context) {
        if (decision.adoptedElsewhere()) {
            Seal seal = decision.adopted().get();
            return Step.ok("adopted as is: seal \"awskms\" at " + seal.place() + " names the planned key in " + planned.region()
                    + findings(decision));
        }
        return template.get().plan(context);
    }

    private Step formerStanza(SealAdoption.Decision decision) {
        if (!decision.moving()) {
            return Step.ok("no seal stanza to move (vaultcfg_adopt_move_stanza: false, or none outside " + planned.sealFile() + ")");
        }
        Seal seal = decision.adopted().get();
        FileRead file = decision.config().configs().get(seal.file());
        Optional<StanzaRemoval> removal = StanzaRemoval.of(file.text().get(), seal, planned.sealFile());
        if (removal.isEmpty()) {
            return Step.failed("cannot move the seal \"awskms\" stanza at " + seal.place() + " into " + planned.sealFile()
                    + ": it does not stand on lines of its own in an HCL file; move it by hand or leave "
                    + "vaultcfg_adopt_move_stanza unset");
        }
        return Step.changed("move the seal \"awskms\" stanza at " + seal.place() + " into " + planned.sealFile()
                        + " (same key; one restart)", Optional.of(removal.get().diff(seal.file(), redactor)),
                write(seal.file(), removal.get().after().getBytes(StandardCharsets.UTF_8), true, Optional.empty(),
                        Optional.empty(), Optional.empty()));
    }

    private Step unit(SealAdoption.Decision decision, PlanContext context) {
        String dropIn = dest.get();
        String dropInDir = FileScripts.parent(dropIn);
        if (!decision.adoptedElsewhere()) {
            Step step = template.get().plan(context);
            return step.action().map(action -> withDirectory(step, action, dropInDir)).orElse(step);
        }
        boolean needsEnv = decision.credentials().isEmpty() && !decision.config().namesEnvFile(planned.envFile());
        if (!needsEnv) {
            return Step.ok("adopted as is: the unit loads the seal stanza and the credentials where they are; no drop-in needed");
        }
        String content = "# Managed by vaultcfg: loads the AWS credentials for the seal stanza the node already has.\n"
                + "[Service]\nEnvironmentFile=" + planned.envFile() + "\n";
        FileState current = context.facts().file(dropIn);
        if (current.exists() && current.content().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).filter(content::equals).isPresent()) {
            return Step.ok(dropIn + " in sync");
        }
        Optional<String> refused = PathTrust.refusalForWrite(context.facts(), dropIn, owner);
        if (refused.isPresent()) {
            return Step.failed(refused.get());
        }
        String before = current.content().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
        Step step = Step.changed((current.exists() ? "update " : "create ") + dropIn + " (loads " + planned.envFile() + " only)",
                Optional.of(io.vaultcfg.render.UnifiedDiff.between(dropIn, before, content, redactor)),
                write(dropIn, content.getBytes(StandardCharsets.UTF_8), false));
        return withDirectory(step, step.action().get(), dropInDir);
    }

    /** The drop-in directory made (root-owned, 0755) by the write that needs it. */
    private Step withDirectory(Step step, RemoteAction action, String dir) {
        String shell = FileScripts.directory(dir, owner, group, Optional.of("0755")) + FileScripts.withoutLibrary(action.shell());
        return new Step(step.task(), step.module(), step.status(), step.message(), step.diff(),
                Optional.of(new RemoteAction(shell, action.reader(), action.budget(), action.input())), step.restarts(),
                step.notifies(), step.unapplied(), step.quiet());
    }

    private RemoteAction write(String path, byte[] content, boolean secret) {
        return write(path, content, secret, owner, group, mode);
    }

    private static RemoteAction write(String path, byte[] content, boolean secret, Optional<String> owner,
                                      Optional<String> group, Optional<FileMode> mode) {
        return RemoteAction.withInput(FileScripts.writeFile(path, content.length, owner, group, mode.map(FileMode::toString)),
                content, secret);
    }

    private static String findings(SealAdoption.Decision decision) {
        return decision.findings().isEmpty() ? "" : " (" + String.join("; ", decision.findings()) + ")";
    }
}
