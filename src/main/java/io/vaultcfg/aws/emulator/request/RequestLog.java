package io.vaultcfg.aws.emulator.request;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** The most recent requests the emulator handled, readable by tests and optionally echoed to a listener. */
public final class RequestLog {
    private final int capacity;
    private final Deque<RequestLogEntry> entries = new ArrayDeque<>();
    private final Consumer<RequestLogEntry> listener;

    public RequestLog(int capacity, Consumer<RequestLogEntry> listener) {
        this.capacity = capacity;
        this.listener = listener;
    }

    public void record(RequestLogEntry entry) {
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        }
        if (listener != null) {
            listener.accept(entry);
        }
    }

    public List<RequestLogEntry> entries() {
        synchronized (entries) {
            return List.copyOf(new ArrayList<>(entries));
        }
    }

    /** Entries for one {@code service} ("kms", "iam", "sts") and action, oldest first. */
    public List<RequestLogEntry> entries(String service, String action) {
        return entries().stream().filter(e -> e.service().equals(service) && e.action().equals(action)).toList();
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }
}
