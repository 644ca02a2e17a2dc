package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.CountingConnector;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates come only from --templates, the playbook's own templates directory and the built-in set,
 * never from a place another user can write, and a template cannot reach Java classes.
 */
class TemplateTrustTest {
    @TempDir
    Path dir;
    Path root;
    Path inventory;
    Path playbook;
    Path besidePlaybook;
    CountingConnector connector;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("host-root"));
        inventory = Files.writeString(dir.resolve("inventory.yml"),
                "all:\n  vars:\n    ansible_become: false\n  hosts:\n    node-1:\n      root: " + root + "\n");
        Path playbookDir = Files.createDirectories(dir.resolve("playbooks"));
        playbook = Files.writeString(playbookDir.resolve("play.yml"), "- name: p\n  hosts: all\n  tasks:\n"
                + "    - name: rendered file\n      template:\n        src: app.conf.ftl\n        dest: \"{{ root }}/app.conf\"\n");
        besidePlaybook = playbookDir.resolve("templates");
        connector = new CountingConnector(new LocalConnector(Set.of()));
    }

    CliRun vaultcfg(String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "apply";
        args[1] = inventory.toString();
        args[2] = "-p";
        args[3] = playbook.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.run(connector, Map.of(), "", args);
    }

    /** Modes set explicitly: the test must not depend on the umask it runs under. */
    Path templateDir(Path dir, String content) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(dir.resolve("app.conf.ftl"), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return dir;
    }

    void assertRefusedBeforeContactingAnyHost(CliRun run, String... fragments) {
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains(fragments).contains("Nothing was changed.");
        assertThat(connector.connects("node-1")).as("hosts contacted").isZero();
        assertThat(root.resolve("app.conf")).doesNotExist();
    }

    @Test
    void thePlaybooksOwnTemplatesDirectoryIsUsed() throws IOException {
        templateDir(besidePlaybook, "from=playbook-dir\n");

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(Files.readString(root.resolve("app.conf"))).isEqualTo("from=playbook-dir\n");
    }

    @Test
    void aTemplatesDirectoryBesideThePlaybooksDirectoryIsNeverUsed() throws IOException {
        // For a playbook in /tmp/job/, this would be /tmp/templates: a place any local user can create.
        templateDir(dir.resolve("templates"), "from=sibling\n");

        CliRun run = vaultcfg("--check", "--diff");

        assertRefusedBeforeContactingAnyHost(run, "template 'app.conf.ftl' not found");
        assertThat(run.all()).doesNotContain("from=sibling");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxrwxrwx", "rwxr-xrwx", "rwxrwxr-x"})
    void aTemplatesDirectoryOthersCanWriteIsRefused(String mode) throws IOException {
        Path templates = templateDir(dir.resolve("shared-templates"), "from=shared\n");
        Files.setPosixFilePermissions(templates, PosixFilePermissions.fromString(mode));

        CliRun run = vaultcfg("--templates", templates.toString());

        assertRefusedBeforeContactingAnyHost(run, templates + ": field '--templates': templates directory is",
                "-writable", "chmod go-w " + templates);
    }

    @Test
    void aGroupWritableTemplatesDirectoryBesideThePlaybookIsRefused() throws IOException {
        templateDir(besidePlaybook, "from=playbook-dir\n");
        Files.setPosixFilePermissions(besidePlaybook, PosixFilePermissions.fromString("rwxrwxr-x"));

        assertRefusedBeforeContactingAnyHost(vaultcfg(), besidePlaybook + ": field 'templates beside the playbook'",
                "group-writable");
    }

    @Test
    void aWorldWritableTemplateFileIsRefused() throws IOException {
        Path templates = templateDir(dir.resolve("mine"), "from=mine\n");
        Path file = templates.resolve("app.conf.ftl");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertRefusedBeforeContactingAnyHost(vaultcfg("--templates", templates.toString()),
                file + ": field '--templates': template file is world-writable");
    }

    @Test
    void aTemplatesDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        Path templates = templateDir(dir.resolve("theirs"), "from=theirs\n");
        UserPrincipal nobody;
        try {
            nobody = templates.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(templates, nobody);
        } catch (IOException notPermitted) {
            assumeTrue(false, "giving a directory away needs root: " + notPermitted);
            return;
        }

        assertRefusedBeforeContactingAnyHost(vaultcfg("--templates", templates.toString()),
                templates + ": field '--templates': templates directory is owned by nobody");
    }

    @Test
    void aTemplateLinkedFromOutsideItsDirectoryIsRefused() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("anyone-can-write.ftl"), "from=elsewhere\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path templates = Files.createDirectories(dir.resolve("mine"));
        Files.createSymbolicLink(templates.resolve("app.conf.ftl"), elsewhere);

        assertRefusedBeforeContactingAnyHost(vaultcfg("--templates", templates.toString(), "--check"),
                "app.conf.ftl: template is a link leading out of its templates directory");
    }

    @Test
    void aTemplateCannotInstantiateJavaClasses() throws IOException {
        Path marker = dir.resolve("executed");
        Path templates = templateDir(dir.resolve("mine"), "line one\n"
                + "<#assign run = \"freemarker.template.utility.Execute\"?new()>${run(\"touch " + marker + "\")}\n");

        CliRun run = vaultcfg("--templates", templates.toString(), "--check");

        assertRefusedBeforeContactingAnyHost(run, "app.conf.ftl:2", "template error");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aTemplateCannotReachTheJavaApiOfAValue() throws IOException {
        Path templates = templateDir(dir.resolve("mine"), "${root?api.getClass().getName()}\n");

        assertRefusedBeforeContactingAnyHost(vaultcfg("--templates", templates.toString(), "--check"),
                "app.conf.ftl:1", "template error");
    }
}
