package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.ControllerModule;
import io.vaultcfg.module.Module;
import io.vaultcfg.module.Modules;
import io.vaultcfg.module.TaskInput;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerApplied;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Step;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A controller task's clients (the AWS SDK's) are closed when the run ends, whether it succeeded or not. */
class ControllerTaskCloseTest {
    @TempDir
    Path dir;

    /** Counts closes; its plan fails when asked to, the way an AWS failure does. */
    static final class Recording implements ControllerModule {
        final AtomicInteger closed = new AtomicInteger();
        final boolean fail;

        Recording(boolean fail) {
            this.fail = fail;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Set<String> arguments() {
            return Set.of();
        }

        @Override
        public Set<String> exports() {
            return Set.of();
        }

        @Override
        public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
            return new ControllerAction<String, ControllerPlan, ControllerApplied>() {
                @Override
                public String read(Executor parallel) {
                    return "read";
                }

                @Override
                public ControllerPlan plan(String read, List<FleetHost> fleet) {
                    if (fail) {
                        throw new ControllerPlan.ControllerFailure("AWS said no");
                    }
                    return new ControllerPlan() {
                        public List<Step> steps() {
                            return List.of(Step.ok("in sync"));
                        }

                        public Map<String, Object> exports() {
                            return Map.of();
                        }
                    };
                }

                @Override
                public ControllerApplied apply(ControllerPlan plan) {
                    return Map::of;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    int closesAfterARun(boolean fail) throws IOException {
        Recording module = new Recording(fail);
        Modules modules = new Modules(List.<Module>of(module));
        Path playbook = dir.resolve("play.yml");
        Files.writeString(playbook, "- name: p\n  hosts: all\n  tasks:\n    - name: controller\n      recording: {}\n");
        Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    h1:\n");
        RunOptions options = new RunOptions(false, false, Optional.empty(), 1, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(1), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of("h1")), new Redactor());
        var prepared = runner.prepare(InventoryLoader.load(inventory), new PlaybookLoader(modules).load(playbook), options);
        assertThat(module.closed).as("not before the run").hasValue(0);
        runner.run(prepared, options, RunListener.NONE);
        return module.closed.get();
    }

    @Test
    void closedOnceAfterASuccessfulRun() throws IOException {
        assertThat(closesAfterARun(false)).isEqualTo(1);
    }

    @Test
    void closedOnceAfterAFailedRun() throws IOException {
        assertThat(closesAfterARun(true)).isEqualTo(1);
    }

    @Test
    void closedAwsClientsRefuseFurtherUse() {
        AwsClients clients = new AwsClients(new AwsSettings("us-east-2", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(1)));
        clients.buildAll();
        clients.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(clients::kms).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
