package io.vaultcfg.testing;

import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event of a run, so a test asserts on what happened rather than on console text. */
public final class RecordingListener implements RunListener {
    private final List<RunEvent> events = new ArrayList<>();

    @Override
    public synchronized void on(RunEvent event) {
        events.add(event);
    }

    public synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }

    public List<HostResult> hosts() {
        return events().stream().filter(RunEvent.HostFinished.class::isInstance)
                .map(event -> ((RunEvent.HostFinished) event).result()).toList();
    }

    public List<ControllerResult> controller() {
        return events().stream().filter(RunEvent.ControllerFinished.class::isInstance)
                .map(event -> ((RunEvent.ControllerFinished) event).result()).toList();
    }
}
