package io.vaultcfg.ssh;

/** One SSH server to log in to, with the words used for it in messages. */
record Endpoint(String label, String host, int port, String user) {
    /** The host as known_hosts and {@code ssh-keygen -R} spell it. */
    String knownHostsName() {
        String lower = host.toLowerCase();
        return port == 22 ? lower : "[" + lower + "]:" + port;
    }

    /** e.g. {@code vault-01 ([127.0.0.1]:2222)}. */
    String describe() {
        return label + " (" + knownHostsName() + ")";
    }
}
