package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.testing.JUnitXml.Case;
import io.vaultcfg.testing.JUnitXml.Outcome;
import io.vaultcfg.testing.AuditedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static final String UNSEALED_AWSKMS = AuditedHosts.UNSEALED_AWSKMS;
    static final String PLAY = "Audit Vault AWS KMS auto-unseal on the hosts";
    static final String CREDENTIALS = "no AWS credentials in the configuration Vault loads";
    static final String DROP_IN = "the seal's systemd drop-in is loaded";

    @TempDir
    Path dir;
    AuditedHosts fleet;
    String user;
    String group;

    @BeforeEach
    void hosts() throws IOException {
        fleet = new AuditedHosts(dir);
        user = fleet.user();
        group = fleet.group();
    }

    void host(String name, String mode, String status, String... hostVars) throws IOException {
        fleet.host(name, mode, status, "alias/vault-auto-unseal", hostVars);
    }

    CliRun audit(Set<String> unreachable, String... args) {
        List<String> full = new ArrayList<>(List.of("audit", fleet.inventory().toString(), "--report", dir.resolve("audit.json").toString(),
                "--junit", dir.resolve("audit.xml").toString()));
        full.addAll(List.of(args));
        return CliRun.run(fleet.connector(unreachable), Map.of(), "", full.toArray(String[]::new));
    }

    @Test
    void aHostThatFollowsEveryPracticePassesWithExitZero() throws IOException {
        host("vault-1", "rw-------", UNSEALED_AWSKMS);

        CliRun run = audit(Set.of());

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("vault-1 +vault.env is mode 0600 and owned by the service user +ok ")
                .containsPattern("vault-1 +Vault is unsealed on the awskms seal +ok +unsealed \\(seal type awskms")
                .containsPattern("vault-1 +" + CREDENTIALS + " +ok +2 configuration files loaded, none with credentials")
                .containsPattern("vault-1 +" + DROP_IN + " +ok +.*/units/vault.service.d/10-vaultcfg-awskms.conf loaded by systemd")
                .contains("0 findings, 0 errors (exit code 0: every check passed).");
        assertThat(JUnitXml.read(dir.resolve("audit.xml"))).extracting(Case::outcome).containsOnly(Outcome.PASSED).hasSize(4);
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
                        + ".*/loose/config/vault.env: mode 0644, should be 0600")
                .containsPattern("loose +Vault is unsealed on the awskms seal +FINDING +finding: sealed \\(seal type awskms")
                .containsPattern("shamir +vault.env is mode 0600 and owned by the service user +FINDING +finding: .*/shamir/config/vault.env is missing")
                .containsPattern("shamir +Vault is unsealed on the awskms seal +FINDING +finding: seal type shamir, should be awskms")
                .containsPattern("owned +vault.env is mode 0600 and owned by the service user +FINDING +finding: .*/owned/config/vault.env: "
                        + "owner " + user + ", should be vault-svc-" + user + "; group " + group + ", should be vault-svc-" + group)
                .contains("5 findings, 0 errors (exit code 2: findings).");
        List<Case> cases = JUnitXml.read(dir.resolve("audit.xml"));
        assertThat(cases).filteredOn(c -> c.outcome() == Outcome.FAILURE).extracting(Case::classname, Case::type)
                .containsExactlyInAnyOrder(tuple(PLAY + "/loose", "finding"),
                        tuple(PLAY + "/loose", "finding"),
                        tuple(PLAY + "/shamir", "finding"),
                        tuple(PLAY + "/shamir", "finding"),
                        tuple(PLAY + "/owned", "finding"));
        assertThat(PipelineReportsTest.casesCalledFor(dir.resolve("audit.json"))).containsExactlyInAnyOrderElementsOf(
                cases.stream().map(c -> c.classname() + " " + c.name() + " " + c.outcome()).toList());
        assertThat(Files.readString(dir.resolve("audit.xml"))).contains("<testsuites name=\"vaultcfg audit\" ");
        assertThat(Files.getPosixFilePermissions(fleet.config("loose").resolve("vault.env"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(fleet.config("shamir").resolve("vault.env")).doesNotExist();
        assertThat(run.all() + Files.readString(dir.resolve("audit.json")) + Files.readString(dir.resolve("audit.xml")))
                .as("vault.env's content is never read").doesNotContain("AKIAEXAMPLE").doesNotContain("canary-secret-in-vault-env");
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

    @Test
    void credentialsInAnHclOrJsonFileTheUnitLoadsAreAFindingAndNeverShown() throws IOException {
        host("clean", "rw-------", UNSEALED_AWSKMS);
        host("in-hcl", "rw-------", UNSEALED_AWSKMS);
        host("in-json", "rw-------", UNSEALED_AWSKMS);
        Files.writeString(fleet.config("in-hcl").resolve("seal-awskms.hcl"), "seal \"awskms\" {\n  region = \"us-east-2\"\n"
                + "  kms_key_id = \"alias/vault-auto-unseal\"\n  access_key = \"AKIAINHCLCANARY00001\"\n"
                + "  secret_key = \"canary-secret-in-hcl\"\n}\n");
        Path json = Files.writeString(fleet.config("in-json").resolve("seal.json"), "{\"seal\": {\"awskms\": {\"region\": \"us-east-2\", "
                + "\"kms_key_id\": \"alias/vault-auto-unseal\", \"secret_key\": \"canary-secret-in-json\"}}}");
        Path dropIn = fleet.units("in-json").resolve(AuditedHosts.DROP_IN);
        Files.writeString(dropIn, Files.readString(dropIn).replace(fleet.config("in-json").resolve("seal-awskms.hcl").toString(),
                json.toString()));

        CliRun run = audit(Set.of());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
        assertThat(run.stdout()).containsPattern("clean +" + CREDENTIALS + " +ok ")
                .containsPattern("in-hcl +" + CREDENTIALS + " +FINDING +finding: seal \"awskms\" at .*/in-hcl/config/seal-awskms.hcl:1 "
                        + "holds access_key and secret_key \\(the access key belongs in the env file")
                .containsPattern("in-json +" + CREDENTIALS + " +FINDING +finding: seal \"awskms\" at .*/in-json/config/seal.json:1 "
                        + "holds secret_key")
                .contains("2 findings, 0 errors (exit code 2: findings).");
        String everything = run.all() + Files.readString(dir.resolve("audit.json")) + Files.readString(dir.resolve("audit.xml"));
        assertThat(everything).doesNotContain("canary-secret-in-hcl").doesNotContain("canary-secret-in-json")
                .doesNotContain("canary-secret-in-vault-env");
        assertThat(JUnitXml.read(dir.resolve("audit.xml"))).filteredOn(c -> c.outcome() == Outcome.FAILURE)
                .extracting(Case::classname, Case::name).containsExactlyInAnyOrder(tuple(PLAY + "/in-hcl", CREDENTIALS),
                        tuple(PLAY + "/in-json", CREDENTIALS));
    }

    @Test
    void aDropInSystemdHasNotLoadedOrOneThatIsMissingIsAFinding() throws Exception {
        host("clean", "rw-------", UNSEALED_AWSKMS);
        host("not-reloaded", "rw-------", UNSEALED_AWSKMS);
        host("missing", "rw-------", UNSEALED_AWSKMS);
        Path dropIn = fleet.units("not-reloaded").resolve(AuditedHosts.DROP_IN);
        String content = Files.readString(dropIn);
        Files.delete(dropIn);
        fleet.systemctl("not-reloaded", "start", "vault"); // systemd loads the unit without the drop-in
        Files.writeString(dropIn, content);                // written after: only a daemon-reload loads it
        Files.delete(fleet.units("missing").resolve(AuditedHosts.DROP_IN));

        CliRun run = audit(Set.of());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
        assertThat(run.stdout()).containsPattern("clean +" + DROP_IN + " +ok ")
                .containsPattern("not-reloaded +" + DROP_IN + " +FINDING +finding: .*/not-reloaded/units/vault.service.d/"
                        + "10-vaultcfg-awskms.conf is on disk but systemd has not loaded it: systemctl daemon-reload")
                .containsPattern("missing +" + DROP_IN + " +FINDING +finding: .*/missing/units/vault.service.d/"
                        + "10-vaultcfg-awskms.conf is missing, and vault.service loads no awskms seal");

        fleet.systemctl("not-reloaded", "daemon-reload");
        assertThat(audit(Set.of()).stdout()).containsPattern("not-reloaded +" + DROP_IN + " +ok ");
    }

    @Test
    void anAuditTaskAppliedFailsOnAFindingAndChangesNothing() throws IOException {
        host("loose", "rw-r--r--", UNSEALED_AWSKMS);
        Path playbook = Files.writeString(dir.resolve("mine.yml"), "- name: mine\n  hosts: vault\n  tasks:\n"
                + "    - name: env file locked down\n      audit_file:\n        path: \"{{ vault_config_dir }}/vault.env\"\n"
                + "        mode: \"0600\"\n");

        CliRun run = CliRun.run(fleet.connector(Set.of()), Map.of(), "", "apply", fleet.inventory().toString(), "-p", playbook.toString());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("finding: " + fleet.config("loose").resolve("vault.env") + ": mode 0644, should be 0600 "
                + "(an audit task changes nothing)");
        assertThat(Files.getPosixFilePermissions(fleet.config("loose").resolve("vault.env")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }
}
