package io.vaultcfg.plan;

import java.util.List;

/** A task (or handler) with its action for one host; {@code skipReason} set when {@code when:} is false. */
public record PreparedTask(String name, String module, Action action, List<String> notifies, List<String> listen,
                           boolean noLog, String skipReason) {
    public boolean skipped() {
        return skipReason != null;
    }
}
