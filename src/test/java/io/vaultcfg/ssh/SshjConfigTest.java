package io.vaultcfg.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import net.schmizz.sshj.common.Factory;
import org.junit.jupiter.api.Test;

/** Which implementations the shared configuration wires in; the SSH tests run them against MINA SSHD and OpenSSH. */
class SshjConfigTest {
    @Test
    void curve25519IsOursUnderBothNamesAndComesFirst() {
        SshjConfig config = SshjConfig.shared();

        assertThat(config.getKeyExchangeFactories()).extracting(Factory.Named::getName)
                .startsWith("curve25519-sha256", "curve25519-sha256@libssh.org");
        assertThat(config.getKeyExchangeFactories().subList(0, 2))
                .allSatisfy(factory -> assertThat(factory.create()).isInstanceOf(Curve25519Exchange.class));
    }

    @Test
    void ed25519KeysAreCheckedAndSignedByOurSignature() {
        assertThat(SshjConfig.shared().getKeyAlgorithms()).filteredOn(algorithm -> algorithm.getName().equals("ssh-ed25519"))
                .singleElement()
                .satisfies(algorithm -> assertThat(algorithm.create().newSignature()).isInstanceOf(Ed25519Signature.class));
    }
}
