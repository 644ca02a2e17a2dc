package io.vaultcfg.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import org.junit.jupiter.api.Test;

/** Our ssh-ed25519 signature agrees with the JDK's EdDSA both ways, on the SSH wire format. */
class Ed25519SignatureTest {
    private static final byte[] EXCHANGE_HASH = "exchange hash H of one key exchange".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesMadeHereVerifyWithTheJdkAndTheOtherWayRound() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        byte[] ours = sign(new Ed25519Signature(), pair);
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initVerify(pair.getPublic());
        jdk.update(EXCHANGE_HASH);
        assertThat(jdk.verify(ours)).isTrue();

        jdk.initSign(pair.getPrivate());
        jdk.update(EXCHANGE_HASH);
        assertThat(verify(pair.getPublic(), wireBlob(jdk.sign()), EXCHANGE_HASH)).isTrue();
    }

    @Test
    void aForgedOrMisnamedSignatureIsRefused() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signature = sign(new Ed25519Signature(), pair);

        assertThat(verify(pair.getPublic(), wireBlob(signature), EXCHANGE_HASH)).isTrue();
        assertThat(verify(other.getPublic(), wireBlob(signature), EXCHANGE_HASH)).isFalse();
        assertThat(verify(pair.getPublic(), wireBlob(signature), "another hash".getBytes(StandardCharsets.UTF_8))).isFalse();
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertThat(verify(pair.getPublic(), wireBlob(flipped), EXCHANGE_HASH)).isFalse();
        assertThat(verify(pair.getPublic(), wireBlob(java.util.Arrays.copyOf(signature, 63)), EXCHANGE_HASH)).isFalse();
        byte[] rsaNamed = new Buffer.PlainBuffer().putString("rsa-sha2-256").putBytes(signature).getCompactData();
        assertThatThrownBy(() -> verify(pair.getPublic(), rsaNamed, EXCHANGE_HASH)).isInstanceOf(SSHRuntimeException.class);
    }

    @Test
    void onlyAStandardEd25519EncodingIsReadAsRawBytes() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(Ed25519Signature.rawPublicKey(ed.getPublic())).get().satisfies(raw -> assertThat(raw).hasSize(32));
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThat(Ed25519Signature.rawPublicKey(ec.getPublic())).isEmpty();
    }

    private static byte[] sign(Signature signature, KeyPair pair) {
        signature.initSign(pair.getPrivate());
        signature.update(EXCHANGE_HASH);
        return signature.encode(signature.sign());
    }

    private static boolean verify(PublicKey key, byte[] blob, byte[] message) {
        Signature signature = new Ed25519Signature();
        signature.initVerify(key);
        signature.update(message);
        return signature.verify(blob);
    }

    private static byte[] wireBlob(byte[] signature) {
        return new Buffer.PlainBuffer().putString(Ed25519Signature.NAME).putBytes(signature).getCompactData();
    }
}
