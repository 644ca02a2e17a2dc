package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.testing.JUnitXml.Case;
import io.vaultcfg.testing.JUnitXml.Outcome;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaultcfg audit} on generated scripts run by the local shell: each host's vault.env mode and owner and its
 * node's seal status (a stand-in {@code vault} CLI per host), read only; exit 0 all good, 2 findings, 1 error.
 */
class AuditCommandTest {
    static final String UNSEALED_AWSKMS = "{\"initialized\": true, \"sealed\": false, \"type\": \"awskms\", \"version\": \"1.15.0\"}";

    @TempDir
    Path dir;
    Path inventory;
    String user;
    String group;
    final StringBuilder hosts = new StringBuilder();

    @BeforeEach
    void owner() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        PosixFileAttributes attributes = Files.readAttributes(probe, PosixFileAttributes.class);
        user = attributes.owner().getName();
        group = attributes.group().getName();
        inventory = dir.resolve("inventory.yml");
    }

    /** A host whose vault.env has {@code mode} (none when null) and whose vault CLI prints {@code status}. */
    void host(String name, String mode, String status, String... hostVars) throws IOException {
        Path config = Files.createDirectories(dir.resolve(name));
        if (mode != null) {
            Path env = Files.writeString(config.resolve("vault.env"), "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n");
            Files.setPosixFilePermissions(env, PosixFilePermissions.fromString(mode));
        }
        Path vault = Files.writeString(config.resolve("vault"), "#!/bin/sh\ncat <<'EOF'\n" + status + "\nEOF\n");
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwx------"));
        hosts.append("        ").append(name).append(":\n          vault_config_dir: ").append(config)
                .append("\n          vault_binary: ").append(vault).append('\n');
        for (String variable : hostVars) {
            hosts.append("          ").append(variable).append('\n');
        }
        Files.writeString(inventory, "all:\n  vars:\n    ansible_become: false\n    vault_status_probe: cli\n"
                + "    vault_addr: http://127.0.0.1:8200\n    vault_user: " + user + "\n    vault_group: " + group + "\n"
                + "  children:\n    vault:\n      hosts:\n" + hosts);
    }

    CliRun audit(Set<String> unreachable, String... args) {
        List<String> full = new ArrayList<>(List.of("audit", inventory.toString(), "--report", dir.resolve("audit.json").toString(),
                "--junit", dir.resolve("audit.xml").toString()));
        full.addAll(List.of(args));
        return CliRun.run(new LocalConnector(unreachable), Map.of(), "", full.toArray(String[]::new));
    }

    @Test
    void aHostThatFollowsEveryPracticePassesWithExitZero() throws IOException {
        host("vault-1", "rw-------", UNSEALED_AWSKMS);

        CliRun run = audit(Set.of());

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("vault-1 +vault.env is mode 0600 and owned by the service user +ok ")
                .containsPattern("vault-1 +Vault is unsealed on the awskms seal +ok +unsealed \\(seal type awskms")
                .contains("0 findings, 0 errors (exit code 0: every check passed).");
        assertThat(JUnitXml.read(dir.resolve("audit.xml"))).extracting(Case::outcome).containsOnly(Outcome.PASSED).hasSize(2);
    }

    @Test
    void eachPracticeNotFollowedIsAFindingExitTwoAndNothingIsChanged() throws IOException {
        host("vault-1", "rw-------", UNSEALED_AWSKMS);
        host("loose", "rw-r--r--", UNSEALED_AWSKMS.replace("\"sealed\": false", "\"sealed\": true"));
        host("shamir", null, UNSEALED_AWSKMS.replace("awskms", "shamir"));
        host("owned", "rw-------", UNSEALED_AWSKMS, "vault_user: vault-svc-" + user, "vault_group: vault-svc-" + group);

        CliRun run = audit(Set.of());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
        assertThat(run.stdout()).containsPattern("loose +vault.env is mode 0600 and owned by the service user +FINDING +finding: "
                        + ".*/loose/vault.env: mode 0644, should be 0600")
                .containsPattern("loose +Vault is unsealed on the awskms seal +FINDING +finding: sealed \\(seal type awskms")
                .containsPattern("shamir +vault.env is mode 0600 and owned by the service user +FINDING +finding: .*/shamir/vault.env is missing")
                .containsPattern("shamir +Vault is unsealed on the awskms seal +FINDING +finding: seal type shamir, should be awskms")
                .containsPattern("owned +vault.env is mode 0600 and owned by the service user +FINDING +finding: .*/owned/vault.env: "
                        + "owner " + user + ", should be vault-svc-" + user + "; group " + group + ", should be vault-svc-" + group)
                .contains("5 findings, 0 errors (exit code 2: findings).");
        List<Case> cases = JUnitXml.read(dir.resolve("audit.xml"));
        assertThat(cases).filteredOn(c -> c.outcome() == Outcome.FAILURE).extracting(Case::classname, Case::type)
                .containsExactlyInAnyOrder(tuple("Audit Vault AWS KMS auto-unseal on the hosts/loose", "finding"),
                        tuple("Audit Vault AWS KMS auto-unseal on the hosts/loose", "finding"),
                        tuple("Audit Vault AWS KMS auto-unseal on the hosts/shamir", "finding"),
                        tuple("Audit Vault AWS KMS auto-unseal on the hosts/shamir", "finding"),
                        tuple("Audit Vault AWS KMS auto-unseal on the hosts/owned", "finding"));
        assertThat(PipelineReportsTest.casesCalledFor(dir.resolve("audit.json"))).containsExactlyInAnyOrderElementsOf(
                cases.stream().map(c -> c.classname() + " " + c.name() + " " + c.outcome()).toList());
        assertThat(Files.readString(dir.resolve("audit.xml"))).contains("<testsuites name=\"vaultcfg audit\" ");
        assertThat(Files.getPosixFilePermissions(dir.resolve("loose/vault.env"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(dir.resolve("shamir/vault.env")).doesNotExist();
        assertThat(run.all() + Files.readString(dir.resolve("audit.json")) + Files.readString(dir.resolve("audit.xml")))
                .as("vault.env's content is never read").doesNotContain("AKIAEXAMPLE");
    }

    @Test
    void aHostThatCannotBeAuditedIsAnErrorExitOne() throws IOException {
        host("vault-1", "rw-------", UNSEALED_AWSKMS);
        host("gone", "rw-------", UNSEALED_AWSKMS);
        host("mute", "rw-------", "no status here");

        CliRun run = audit(Set.of("gone"));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("gone +\\(unreachable\\) +ERROR +connection refused")
                .containsPattern("mute +Vault is unsealed on the awskms seal +ERROR +cannot read the seal status: no status here")
                .contains("0 findings, 2 errors (exit code 1: ");
    }
}
