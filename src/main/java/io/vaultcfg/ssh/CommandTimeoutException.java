package io.vaultcfg.ssh;

import java.io.IOException;

/** A remote command did not finish in the time it was given; its channel has been closed. */
public class CommandTimeoutException extends IOException {
    public CommandTimeoutException(String message) {
        super(message);
    }
}
