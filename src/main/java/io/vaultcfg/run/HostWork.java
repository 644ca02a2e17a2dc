package io.vaultcfg.run;

import io.vaultcfg.plan.PreparedTask;
import io.vaultcfg.ssh.SshTarget;
import java.util.List;
import java.util.Optional;

/** Everything prepared for one host in one play before any host is contacted. */
public record HostWork(String host, SshTarget target, Optional<String> becomeUser, List<PreparedTask> tasks,
                List<PreparedTask> handlers) {
}
