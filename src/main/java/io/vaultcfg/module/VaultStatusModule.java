package io.vaultcfg.module;

import static io.vaultcfg.shell.ShellQuote.quote;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.ShellQuote;
import io.vaultcfg.vault.NodeAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that Vault (or OpenBao) is up and unsealed. An uninitialized node is "ready for init", not a
 * failure. A node that is sealed, does not answer or is about to be restarted is waited for on the host;
 * check mode, which restarts nothing and waits for nothing, reports such a node as it is now ("runs after
 * restart" when a restart is pending). An initialized Shamir node about to be restarted is refused:
 * switching it to awskms needs a seal migration, and a plain restart would leave it sealed.
 */
final class VaultStatusModule implements Module {
    @Override
    public String name() {
        return "vault_status";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("address", "ca_cert", "binary", "retries", "delay", "probe", "service", "unit_dir", "kms_endpoint",
                "kms_region", "migrate_seal");
    }

    @Override
    public Action prepare(TaskInput input) {
        String address = input.requireString("address");
        if (!address.matches("https?://[^\\s]+")) {
            throw input.error("address", "expected a URL such as https://127.0.0.1:8200");
        }
        int retries = input.integer("retries", 15);
        int delay = input.integer("delay", 2);
        if (retries < 1 || delay < 0) {
            throw input.error(retries < 1 ? "retries" : "delay", "must be positive");
        }
        String binary = input.optionalString("binary").orElse("vault");
        Optional<String> caCert = input.optionalString("ca_cert");
        String probe = input.optionalString("probe").orElse("auto");
        if (!PROBES.contains(probe)) {
            throw input.error("probe", "expected one of " + String.join(", ", PROBES));
        }
        Optional<String> service = input.optionalString("service").filter(name -> !name.isBlank());
        Optional<String> kmsEndpoint = input.optionalString("kms_endpoint").filter(url -> !url.isBlank())
                .or(() -> input.optionalString("kms_region").filter(region -> !region.isBlank())
                        .map(region -> "https://kms." + region + ".amazonaws.com"));
        if (kmsEndpoint.isPresent() && !kmsEndpoint.get().matches("https?://[^\\s]+")) {
            throw input.error("kms_endpoint", "expected a URL such as https://kms.us-east-2.amazonaws.com");
        }
        boolean migrateSeal = input.bool("migrate_seal", false);
        return new Check(statusCommand(address, caCert, binary, probe), retries, delay, binary, !probe.equals("cli"),
                cliStatus(address, caCert, binary, probe), service, new NodeRoleFact(address, caCert), kmsEndpoint.map(KmsReachFact::new),
                service.map(unit -> new ServiceConfigFact(unit, input.optionalString("unit_dir").filter(dir -> !dir.isBlank())
                        .orElse(DEFAULT_UNIT_DIR))), migrateSeal);
    }

    private static final List<String> PROBES = List.of("auto", "http", "cli");
    private static final String DEFAULT_UNIT_DIR = "/etc/systemd/system";
    /** curl's {@code --max-time} in {@link #statusCommand}. */
    static final int HTTP_PROBE_SECONDS = 10;
    /** The Vault CLI's own default client timeout. */
    static final int CLI_PROBE_SECONDS = 60;
    /**
     * The poll's budget beyond its {@code retries × delay} s of waiting: the status probes themselves (one
     * that hangs takes up to its timeout) and the shell around them.
     */
    static final int POLL_MARGIN_SECONDS = 30;

    static Duration probeBudget(String probe) {
        return Duration.ofSeconds(probe.equals("http") ? HTTP_PROBE_SECONDS + 5 : CLI_PROBE_SECONDS + 5);
    }

    /**
     * Vault's seal status, as {@code vault status} reads it (GET /v1/sys/seal-status). With curl, the
     * host starts a small process instead of the Vault binary, whose start-up costs ~80 ms of CPU: on a
     * fleet sharing cores, or run every few minutes by a pipeline, that adds up. Without curl, the CLI.
     * {@code probe}: auto (curl when the host has it, else the CLI), http (curl only), cli.
     */
    static String statusCommand(String address, Optional<String> caCert, String binary, String probe) {
        String url = address.replaceAll("/+$", "") + "/v1/sys/seal-status";
        String viaHttp = "curl -sS --noproxy '*' --max-time " + HTTP_PROBE_SECONDS + caCert.map(ca -> " --cacert " + quote(ca)).orElse("") + " " + quote(url);
        String viaCli = cliCommand(address, caCert, binary);
        return switch (probe) {
            case "http" -> viaHttp;
            case "cli" -> viaCli;
            default -> "if command -v curl >/dev/null 2>&1; then " + viaHttp + "; else " + viaCli + "; fi";
        };
    }

    private static String cliCommand(String address, Optional<String> caCert, String binary) {
        return "VAULT_ADDR=" + quote(address) + caCert.map(ca -> " VAULT_CACERT=" + quote(ca)).orElse("")
                + " " + ShellQuote.commandWord(binary) + " status -format=json";
    }

    /**
     * The seal status read in the facts round trip apart from the role probe, whose one curl already asks
     * {@code sys/seal-status} (a second curl on every host would add up on a fleet): the CLI, for {@code cli}, and for
     * {@code auto} on a host without curl; nothing for {@code http}.
     */
    static Optional<SealStatusFact> cliStatus(String address, Optional<String> caCert, String binary, String probe) {
        String viaCli = cliCommand(address, caCert, binary);
        return switch (probe) {
            case "http" -> Optional.empty();
            case "cli" -> Optional.of(new SealStatusFact(viaCli, probeBudget(probe)));
            default -> Optional.of(new SealStatusFact("if command -v curl >/dev/null 2>&1; then :; else " + viaCli + "; fi",
                    probeBudget(probe)));
        };
    }

    static Duration pollBudget(int retries, int delay) {
        return Duration.ofSeconds((long) retries * delay + POLL_MARGIN_SECONDS);
    }

    /**
     * @param service    the unit whose last lines explain a node that never answers (optional)
     * @param curlProbe  the seal status is the role probe's {@code sys/seal-status} answer, where curl ran
     * @param cliStatus  the seal status read otherwise ({@link #cliStatus})
     */
    private record Check(String statusCommand, int retries, int delay, String binary, boolean curlProbe,
                         Optional<SealStatusFact> cliStatus, Optional<String> service, NodeRoleFact role, Optional<KmsReachFact> kmsReach,
                         Optional<ServiceConfigFact> serviceConfig, boolean migratesSeal)
            implements Action, VaultNodeProbe {

        @Override
        public Optional<Boolean> namesRaftPeers(HostFacts facts) {
            return serviceConfig.flatMap(fact -> EffectiveServiceConfig.of(facts.get(fact), fact.unitDir(), "", "").namesRaftPeers());
        }

        @Override
        public Duration settleTimeout() {
            return Duration.ofSeconds((long) retries * delay);
        }

        @Override
        public List<Fact<?>> facts() {
            List<Fact<?>> facts = new ArrayList<>();
            cliStatus.ifPresent(facts::add);
            facts.add(role);
            serviceConfig.ifPresent(facts::add);
            return facts;
        }

        private SealStatusFact.Reading sealStatus(HostFacts facts) {
            Optional<NodeAnswer> answered = curlProbe ? facts.get(role).sealStatus() : Optional.empty();
            return answered.map(SealStatusFact.Reading::answered)
                    .or(() -> cliStatus.map(facts::get))
                    .orElse(SealStatusFact.Reading.NO_CURL);
        }

        @Override
        public Step plan(PlanContext context) {
            SealStatusFact.Reading now = sealStatus(context.facts());
            Optional<VaultStatus> status = now.status();
            Optional<io.vaultcfg.vault.NodeRole> roleNow = context.facts().get(role).role();
            if (roleNow.filter(node -> node.sealed() && node.migration()).isPresent()) {
                return migratesSeal ? SealMigrationStep.unsealWithKeys("sealed in a seal migration")
                        : Step.failed("this node is sealed in a seal migration (" + roleNow.get().describe() + "): run again "
                                + "with --migrate-seal and the unseal keys to complete it");
            }
            if (context.restartPending()) {
                if (status.isPresent() && status.get().isShamirInitialized() && migratesSeal) {
                    return SealMigrationStep.unsealWithKeys("after its restart on the new seal");
                }
                if (status.isEmpty() && migratesSeal) {
                    // e.g. an active node stopped by a migration that was cut off: it may come back in a seal migration
                    return SealMigrationStep.unsealWithKeys("if it comes back in a seal migration after its restart");
                }
                if (status.isPresent() && status.get().isShamirInitialized()) {
                    return Step.failed("this node is initialized with a Shamir seal: a restart with the awskms stanza "
                            + "would enter seal migration and stay sealed. Migrate it first (vault operator unseal -migrate "
                            + "with the unseal keys, standbys first), or let vaultcfg do it: apply --migrate-seal with the "
                            + "unseal keys on standard input; without it, vaultcfg refuses to restart it");
                }
                return poll("after restart").previewedAs(StepStatus.SKIPPED, "runs after restart");
            }
            if (status.isEmpty() && roleNow.filter(node -> node.migration() && node.unsealed()).isPresent()) {
                return Step.ok(roleNow.get().describe()); // a standby unsealed with migrate: seal-status answers 500
            }
            if (status.isEmpty()) {
                return now.probeMissing()
                        ? Step.failed(binary + " not found on the host (set vault_binary)")
                        : poll("waiting for it to answer").previewedAs(StepStatus.FAILED,
                                "cannot read status: " + RemoteAction.OutcomeReader.lastLines(now.output()));
            }
            VaultStatus current = status.get();
            if (!current.initialized() || !current.sealed()) {
                return Step.ok(current.describe());
            }
            return poll("sealed, waiting").previewedAs(StepStatus.FAILED, current.describe());
        }

        /**
         * Polls on the host ({@link StatusPoll}), so waiting costs no extra round trips; the reader judges the last
         * answer. Under systemd, Vault's unit (Type=notify) is ready when the restart returns, so the first read
         * usually answers, though auto-unseal finishes a moment after the listener is up. A node that never answered,
         * or stayed sealed, has its service's last lines read in the same script for the failure message.
         */
        private Step poll(String why) {
            String shell = StatusPoll.shell(statusCommand, retries, delay, service);
            RemoteAction.OutcomeReader reader = (planned, exitCode, output) -> {
                ServiceLog.Split split = ServiceLog.split(output);
                String log = service.map(split::suffix).orElse("");
                return VaultStatus.parse(split.own())
                        .map(status -> !status.initialized() || !status.sealed()
                                ? new RemoteAction.Outcome(StepStatus.OK, status.describe())
                                : new RemoteAction.Outcome(StepStatus.FAILED, status.describe() + " after " + retries * delay + " s" + log))
                        .orElse(new RemoteAction.Outcome(StepStatus.FAILED,
                                "no status after " + retries * delay + " s: " + RemoteAction.OutcomeReader.lastLines(split.own()) + log));
            };
            return new Step("", "", StepStatus.OK, "check status (" + why + ")", Optional.empty(),
                    Optional.of(new RemoteAction(shell, reader, pollBudget(retries, delay))), false, List.of());
        }
    }
}
