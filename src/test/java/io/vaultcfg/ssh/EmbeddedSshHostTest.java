package io.vaultcfg.ssh;

import io.vaultcfg.lab.EmbeddedSshHost;
import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded host as the lab uses it: persistent host key, PATH prefix, environment, working directory. */
class EmbeddedSshHostTest {
    @TempDir
    Path tempDir;

    @Test
    void restartWithTheSameRootKeepsTheHostKey() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            EmbeddedSshHost first = hosts.host(0);
            String line = first.knownHostsLine();
            first.close();
            try (EmbeddedSshHost again = EmbeddedSshHost.start(first.options().withPort(first.port()))) {
                assertThat(again.knownHostsLine()).isEqualTo(line);
                assertThat(line).startsWith("[127.0.0.1]:" + again.port() + " ssh-ed25519 AAAA");
            }
        }
    }

    @Test
    void pathPrefixEnvironmentAndWorkingDirectoryReachCommands() throws Exception {
        Path bin = Files.createDirectories(tempDir.resolve("bin"));
        Path fakeSystemctl = bin.resolve("systemctl");
        Files.writeString(fakeSystemctl, "#!/bin/sh\necho \"fake systemctl $*\"\n");
        Files.setPosixFilePermissions(fakeSystemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectories(tempDir.resolve("work"));
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("fleet"), 1, options -> options
                .withPathPrefix(bin).withEnvironment("LAB_NAME", "lab-1").withWorkingDirectory(work))) {
            try (RemoteSession session = new SshjConnector().connect(hosts.target(0))) {
                ExecResult result = session.exec("systemctl restart vault; echo \"$LAB_NAME\"; pwd", null);

                assertThat(result.stdout().lines())
                        .containsExactly("fake systemctl restart vault", "lab-1", work.toRealPath().toString());
            }
        }
    }

    @Test
    void commandExitCodesAndSignalsComeThrough() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            try (RemoteSession session = new SshjConnector().connect(hosts.target(0))) {
                assertThat(session.exec("exit 42", null).exitCode()).isEqualTo(42);
                assertThat(session.exec("no-such-command-here", null).exitCode()).isEqualTo(127);
                assertThat(session.exec("kill -9 $$", null).exitCode()).isNotZero();
            }
        }
    }
}
