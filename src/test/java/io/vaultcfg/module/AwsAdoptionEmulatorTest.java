package io.vaultcfg.module;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/** The adoption scenarios against vaultcfg's own emulator. */
class AwsAdoptionEmulatorTest extends AwsAdoptionScenarios {
    AwsEmulator emulator;

    @Override
    String endpoint() {
        return emulator.endpoint().toString();
    }

    @Override
    void resetAccount() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }
}
