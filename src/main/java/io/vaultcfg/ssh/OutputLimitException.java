package io.vaultcfg.ssh;

import java.io.IOException;

/** A remote command wrote more output than the controller keeps; its channel has been closed. */
public class OutputLimitException extends IOException {
    public OutputLimitException(String message) {
        super(message);
    }
}
