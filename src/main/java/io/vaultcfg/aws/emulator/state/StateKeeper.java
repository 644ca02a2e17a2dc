package io.vaultcfg.aws.emulator.state;

/**
 * Decides when state is written to the {@link StateStore}: structural changes at the end of the request that made
 * them, access-key usage ("last used") lazily by a periodic {@link #flush()}, and everything on close.
 * Without a store it does nothing (in-memory mode).
 */
public final class StateKeeper {
    private final EmulatorState state;
    private final StateStore store;
    private long savedRevision;
    private long savedUsageRevision;

    public StateKeeper(EmulatorState state, StateStore store) {
        this.state = state;
        this.store = store;
        this.savedRevision = state.revision();
        this.savedUsageRevision = state.usageRevision();
    }

    /** Call with the state's lock held, after each request. */
    public void afterRequest() {
        if (store != null && state.revision() != savedRevision) {
            save();
        }
    }

    public void flush() {
        synchronized (state) {
            if (store != null && (state.revision() != savedRevision || state.usageRevision() != savedUsageRevision)) {
                save();
            }
        }
    }

    /** Writes the state unconditionally, e.g. at start so the file exists and records its account. */
    public void saveNow() {
        synchronized (state) {
            if (store != null) {
                save();
            }
        }
    }

    private void save() {
        store.save(state.snapshot());
        savedRevision = state.revision();
        savedUsageRevision = state.usageRevision();
    }
}
