package io.vaultcfg.ssh;

import net.schmizz.sshj.transport.NegotiatedAlgorithms;
import net.schmizz.sshj.transport.verification.AlgorithmsVerifier;

/** Remembers what key exchange, host key and cipher a connection ended up with; accepts whatever was agreed. */
final class NegotiatedAlgorithmsRecorder implements AlgorithmsVerifier {
    private volatile String summary = "not negotiated";

    @Override
    public boolean verify(NegotiatedAlgorithms algorithms) {
        String cipher = algorithms.getClient2ServerCipherAlgorithm();
        summary = "kex=" + algorithms.getKeyExchangeAlgorithm()
                + " hostkey=" + algorithms.getSignatureAlgorithm()
                + " cipher=" + cipher
                + " mac=" + (cipher.contains("gcm") || cipher.contains("poly1305") ? "implicit" : algorithms.getClient2ServerMACAlgorithm());
        return true;
    }

    String summary() {
        return summary;
    }
}
