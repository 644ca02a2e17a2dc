package io.vaultcfg.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.signature.SignatureRSA;
import net.schmizz.sshj.transport.cipher.Cipher;
import net.schmizz.sshj.transport.kex.KeyExchange;

import java.util.ArrayList;
import java.util.List;

/**
 * The one sshj configuration, built once and shared by every connection. Ciphers and MACs are the
 * JDK's (AES-GCM with AES-NI); curve25519 and Ed25519 use BouncyCastle's arithmetic called directly
 * ({@link Curve25519Exchange}, {@link Ed25519Signature}), several times cheaper than the JDK's in a
 * short run. The BouncyCastle provider is never registered: that costs ~0.75 s of start-up.
 * Algorithm lists are in preference order; what the server does not offer is skipped.
 */
public final class SshjConfig extends DefaultConfig {
    static final List<String> KEY_EXCHANGE = List.of(
            "curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256");
    /** chacha20-poly1305 is absent on purpose: sshj only has it through BouncyCastle. */
    static final List<String> CIPHERS = List.of(
            "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr");
    static final List<String> MACS = List.of(
            "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512",
            "hmac-sha1-etm@openssh.com", "hmac-sha1");

    static {
        SecurityUtils.setRegisterBouncyCastle(false);
    }

    private static final SshjConfig SHARED = new SshjConfig(CIPHERS);

    private final List<String> cipherOrder;

    private SshjConfig(List<String> cipherOrder) {
        super();
        this.cipherOrder = cipherOrder;
        // answered keep-alive requests, not sshj's default fire-and-forget heartbeat, so a dead peer is noticed;
        // on one shared timer instead of a thread per connection
        setKeepAliveProvider(SharedKeepAlive.PROVIDER);
        // DefaultConfig's constructor ran initCipherFactories() before cipherOrder was set
        setCipherFactories(pick(allCiphers(), cipherOrder));
    }

    public static SshjConfig shared() {
        return SHARED;
    }

    /** A config with another cipher preference, for measurements. */
    static SshjConfig withCiphers(List<String> cipherOrder) {
        return new SshjConfig(cipherOrder);
    }

    @Override
    protected void initKeyExchangeFactories() {
        super.initKeyExchangeFactories();
        List<Factory.Named<KeyExchange>> available = new ArrayList<>();
        for (Factory.Named<KeyExchange> factory : getKeyExchangeFactories()) {
            // both names: the RFC's curve25519-sha256 and libssh's original @libssh.org
            available.add(factory.getName().startsWith("curve25519-sha256")
                    ? named(factory.getName(), Curve25519Exchange::new) : factory);
        }
        List<Factory.Named<KeyExchange>> chosen = pick(available, KEY_EXCHANGE);
        for (Factory.Named<KeyExchange> factory : available) {
            if (factory.getName().startsWith("ext-info-")) {
                chosen.add(factory); // a signal, not an algorithm: keeps rsa-sha2 user keys working
            }
        }
        setKeyExchangeFactories(chosen);
    }

    /**
     * ssh-ed25519 host keys and user keys are checked and signed by {@link Ed25519Signature}. RSA user
     * certificates get the rsa-sha2 certificate algorithms sshj lacks (OpenSSH refuses ssh-rsa's SHA-1
     * signatures since 8.8), tried before ssh-rsa-cert-v01.
     */
    @Override
    protected void initKeyAlgorithms() {
        super.initKeyAlgorithms();
        List<Factory.Named<KeyAlgorithm>> algorithms = new ArrayList<>();
        for (Factory.Named<KeyAlgorithm> algorithm : getKeyAlgorithms()) {
            if (algorithm.getName().equals(KeyAlgorithms.SSHRSACertV01().getName())) {
                algorithms.add(rsaCertificate("rsa-sha2-512", "SHA512withRSA"));
                algorithms.add(rsaCertificate("rsa-sha2-256", "SHA256withRSA"));
            }
            algorithms.add(algorithm.getName().equals(Ed25519Signature.NAME)
                    ? new KeyAlgorithms.Factory(Ed25519Signature.NAME, named(Ed25519Signature.NAME, Ed25519Signature::new), KeyType.ED25519)
                    : algorithm);
        }
        setKeyAlgorithms(algorithms);
    }

    private static KeyAlgorithms.Factory rsaCertificate(String signatureName, String jdkAlgorithm) {
        return new KeyAlgorithms.Factory(signatureName + "-cert-v01@openssh.com",
                named(signatureName, () -> new SignatureRSA(jdkAlgorithm, KeyType.RSA_CERT, signatureName)), KeyType.RSA_CERT);
    }

    @Override
    protected void initCipherFactories() {
        // skip DefaultConfig's probe of ~30 ciphers (and its warning about the ones it cannot make)
        setCipherFactories(pick(allCiphers(), CIPHERS));
    }

    @Override
    protected void initMACFactories() {
        super.initMACFactories();
        setMACFactories(pick(getMACFactories(), MACS));
    }

    private static List<Factory.Named<Cipher>> allCiphers() {
        return List.of(
                com.hierynomus.sshj.transport.cipher.GcmCiphers.AES128GCM(),
                com.hierynomus.sshj.transport.cipher.GcmCiphers.AES256GCM(),
                com.hierynomus.sshj.transport.cipher.BlockCiphers.AES128CTR(),
                com.hierynomus.sshj.transport.cipher.BlockCiphers.AES192CTR(),
                com.hierynomus.sshj.transport.cipher.BlockCiphers.AES256CTR(),
                com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers.CHACHA_POLY_OPENSSH());
    }

    private static <T> Factory.Named<T> named(String name, java.util.function.Supplier<T> maker) {
        return new Factory.Named<>() {
            @Override
            public T create() {
                return maker.get();
            }

            @Override
            public String getName() {
                return name;
            }
        };
    }

    private static <T> List<Factory.Named<T>> pick(List<Factory.Named<T>> available, List<String> order) {
        List<Factory.Named<T>> chosen = new ArrayList<>();
        for (String name : order) {
            for (Factory.Named<T> factory : available) {
                if (factory.getName().equals(name)) {
                    chosen.add(factory);
                }
            }
        }
        return chosen;
    }

    List<String> cipherOrder() {
        return cipherOrder;
    }

}
