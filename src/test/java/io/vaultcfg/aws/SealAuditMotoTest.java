package io.vaultcfg.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultcfg.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The audit's AWS scenarios against moto, an AWS emulator written by others. */
class SealAuditMotoTest extends SealAuditScenarios {
    static MotoServer moto;

    @BeforeAll
    static void startMoto() throws Exception {
        assumeTrue(MotoServer.binary().isPresent(), "moto_server not installed: pip install 'moto[server]'");
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Override
    String endpoint() {
        return moto.endpoint();
    }

    @Override
    boolean makesAsymmetricKeys() {
        return true;
    }

    @Override
    void resetAccount() throws Exception {
        moto.reset();
    }
}
