package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gets one clear line naming file:line and field, exit 1, and no host is contacted. */
class BadInputTest {
    @TempDir
    Path dir;
    Path inventory;
    Path templates;
    final AtomicInteger connections = new AtomicInteger();
    final SshConnector countingConnector = new SshConnector() {
        @Override
        public RemoteSession connect(SshTarget target) throws HostUnreachableException {
            connections.incrementAndGet();
            throw new HostUnreachableException("test connector");
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        inventory = write("inventory.yml", "all:\n  hosts:\n    node-1:\n      root: /tmp/x\n");
        templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("ok.ftl"), "value=${known}\n");
        Files.writeString(templates.resolve("undefined.ftl"), "line one\nvalue=${nowhere_defined}\n");
    }

    Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    CliRun apply(String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "apply";
        System.arraycopy(extra, 0, args, 1, extra.length);
        return CliRun.run(countingConnector, Map.of(), "", args);
    }

    CliRun applyPlaybook(String yaml, String... extra) throws IOException {
        Path playbook = write("play.yml", yaml);
        String[] args = new String[extra.length + 3];
        args[0] = inventory.toString();
        args[1] = "-p";
        args[2] = playbook.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return apply(args);
    }

    void assertRejected(CliRun run, String... fragments) {
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains(fragments).contains("Nothing was changed.");
        assertThat(connections).as("hosts contacted").hasValue(0);
    }

    static final String TASK_HEAD = "- name: p\n  hosts: all\n  tasks:\n";

    @Test
    void varsFilesBesideThePlaybookAreReadAndCheckedBeforeAnyHost() throws IOException {
        Path playbookDir = Files.createDirectories(dir.resolve("site"));
        Path playbook = Files.writeString(playbookDir.resolve("play.yml"), TASK_HEAD + "    - meta: flush_handlers\n");
        Files.createDirectories(playbookDir.resolve("host_vars"));
        Files.writeString(playbookDir.resolve("host_vars/node-1.yml"), "ok: 1\nroot: \"{{ somewhere }}\"\n");
        assertRejected(apply(inventory.toString(), "-p", playbook.toString()), "site/host_vars/node-1.yml:2: field 'root'", "Jinja");
    }

    @Test
    void vaultEncryptedGroupVarsAreRefusedByName() throws IOException {
        Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(dir.resolve("group_vars/all/vault.yml"), "$ANSIBLE_VAULT;1.1;AES256\n3130\n");
        assertRejected(apply(inventory.toString()), "group_vars/all/vault.yml:1", "Ansible Vault encrypted files are not supported");
    }

    @Test
    void malformedYaml() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hosts: [all\n  tasks: x\n"), "play.yml:3:", "malformed YAML");
    }

    @Test
    void unknownPlayKeySuggestsTheRightOne() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hsots: all\n  tasks: []\n"),
                "play.yml:2:", "field 'hsots'", "did you mean 'hosts'?");
    }

    @Test
    void unknownTaskKeywordSuggestsTheRightOne() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - name: t\n      notfy: x\n      file: {path: /tmp/x}\n"),
                "play.yml:5:", "field 'notfy'", "did you mean 'notify'?");
    }

    @Test
    void unknownModule() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - name: t\n      tempalte: {src: a, dest: /b}\n"),
                "play.yml:5:", "field 'tempalte'", "did you mean 'template'?");
    }

    @Test
    void unknownModuleArgument() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - template: {src: ok.ftl, dset: /b}\n"),
                "play.yml:4:", "field 'dset'", "did you mean 'dest'?");
    }

    @Test
    void modeWrittenAsADecimalNumber() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - template:\n        src: ok.ftl\n        dest: /tmp/x\n        mode: 0600\n"),
                "play.yml:7:", "field 'mode'", "quoted octal");
    }

    @Test
    void unknownVaultStatusProbe() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - vault_status:\n        address: http://127.0.0.1:8200\n        probe: nc\n"),
                "play.yml:", "field 'probe'", "auto, http, cli");
    }

    @Test
    void wrongTypeForABoolean() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hosts: all\n  become: sometimes\n  tasks: []\n"),
                "play.yml:3:", "field 'become'", "true or false");
    }

    @Test
    void missingTemplate() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - template:\n        src: nowhere.ftl\n        dest: /tmp/x\n"),
                "play.yml:5:", "field 'src'", "template 'nowhere.ftl' not found");
    }

    @Test
    void undefinedTemplateVariableNamesTemplateAndLine() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - template:\n        src: undefined.ftl\n        dest: /tmp/x\n"),
                "undefined.ftl:2:", "field 'nowhere_defined'", "undefined variable");
    }

    @Test
    void undefinedPlaybookVariable() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - file:\n        path: \"{{ missing_dir }}\"\n"),
                "play.yml:5:", "field 'path'", "undefined variable 'missing_dir'");
    }

    @Test
    void notifyOfAnUnknownHandler() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - file: {path: /tmp/x}\n      notify: restart vualt\n"
                + "  handlers:\n    - name: restart vault\n      systemd: {name: vault, state: restarted}\n"),
                "play.yml:4:", "field 'notify'", "did you mean 'restart vault'?");
    }

    @Test
    void hostPatternMatchingNoHost() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hosts: databases\n  tasks: []\n"), "play.yml:1:", "databases");
    }

    @Test
    void limitMatchingNoHost() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hosts: all\n  tasks: []\n", "--limit", "nosuchhost"), "nosuchhost");
    }

    @Test
    void extraVarWithoutEquals() throws IOException {
        assertRejected(applyPlaybook("- name: p\n  hosts: all\n  tasks: []\n", "-e", "s3cr3t-value"), "-e", "not KEY=VALUE");
        assertThat(connections).hasValue(0);
    }

    @Test
    void extraVarErrorDoesNotEchoTheValue() throws IOException {
        CliRun run = applyPlaybook("- name: p\n  hosts: all\n  tasks: []\n", "-e", "s3cr3t-value");
        assertThat(run.all()).doesNotContain("s3cr3t-value");
    }

    @Test
    void missingInventoryFile() {
        assertRejected(apply(dir.resolve("nope.yml").toString()), "nope.yml", "not found");
    }

    @Test
    void missingPlaybookFile() {
        assertRejected(apply(inventory.toString(), "-p", dir.resolve("nope.yml").toString()), "nope.yml", "not found");
    }

    @Test
    void unsupportedWhenExpression() throws IOException {
        assertRejected(applyPlaybook(TASK_HEAD + "    - file: {path: /tmp/x}\n      when: x | bool\n"),
                "play.yml:5:", "field 'when'");
    }
}
