package io.vaultcfg.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.transport.Transport;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.digest.SHA256;
import net.schmizz.sshj.transport.kex.KeyExchangeBase;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The curve25519-sha256 key exchange (RFC 8731) with BouncyCastle's X25519 arithmetic, called
 * directly (no provider registered). Same protocol as sshj's own, whose JDK X25519 costs ~2 ms of CPU
 * per connection in a short run against ~0.3 ms here. The host's signature over the exchange hash is
 * checked with the configured host key algorithm, host certificates as sshj checks them.
 */
final class Curve25519Exchange extends KeyExchangeBase {
    private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
    private final byte[] publicKey = new byte[X25519.POINT_SIZE];
    private BigInteger sharedSecret;

    Curve25519Exchange() {
        super(new SHA256());
    }

    @Override
    public void init(Transport transport, String serverIdent, String clientIdent, byte[] serverKexInit, byte[] clientKexInit)
            throws GeneralSecurityException, TransportException {
        super.init(transport, serverIdent, clientIdent, serverKexInit, clientKexInit);
        digest.init();
        transport.getConfig().getRandomFactory().create().fill(privateKey);
        X25519.scalarMultBase(privateKey, 0, publicKey, 0);
        transport.write(new SSHPacket(Message.KEXDH_INIT).putBytes(publicKey));
    }

    @Override
    public boolean next(Message message, SSHPacket packet) throws GeneralSecurityException, TransportException {
        if (message != Message.KEXDH_31) {
            throw new TransportException(DisconnectReason.KEY_EXCHANGE_FAILED, "Unexpected packet: " + message);
        }
        byte[] hostKeyBlob;
        byte[] serverPublic;
        byte[] signatureBlob;
        try {
            hostKeyBlob = packet.readBytes();
            serverPublic = packet.readBytes();
            signatureBlob = packet.readBytes();
            hostKey = new Buffer.PlainBuffer(hostKeyBlob).readPublicKey();
        } catch (Buffer.BufferException e) {
            throw new TransportException(e);
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        // a wrong-length or low-order server value gives no shared secret: the exchange must stop (RFC 8731 s. 3)
        if (serverPublic.length != X25519.POINT_SIZE || !X25519.calculateAgreement(privateKey, 0, serverPublic, 0, shared, 0)) {
            throw new TransportException(DisconnectReason.KEY_EXCHANGE_FAILED, "invalid curve25519 public value from the server");
        }
        Arrays.fill(privateKey, (byte) 0);
        sharedSecret = new BigInteger(1, shared);
        Buffer.PlainBuffer exchange = initializedBuffer();
        exchange.putString(hostKeyBlob).putBytes(publicKey).putBytes(serverPublic).putMPInt(sharedSecret);
        digest.update(exchange.array(), exchange.rpos(), exchange.available());
        H = digest.digest();

        Signature signature = trans.getHostKeyAlgorithm().newSignature();
        signature.initVerify(hostKey instanceof Certificate<?> certificate ? certificate.getKey() : hostKey);
        signature.update(H, 0, H.length);
        if (!signature.verify(signatureBlob)) {
            throw new TransportException(DisconnectReason.KEY_EXCHANGE_FAILED, "KeyExchange signature verification failed");
        }
        verifyCertificate(hostKeyBlob);
        return true;
    }

    private void verifyCertificate(byte[] hostKeyBlob) throws TransportException {
        if (!(hostKey instanceof Certificate<?> certificate) || !trans.getConfig().isVerifyHostKeyCertificates()) {
            return;
        }
        String problem;
        try {
            problem = KeyType.CertUtils.verifyHostCertificate(hostKeyBlob, certificate, trans.getRemoteHost());
        } catch (Buffer.BufferException | SSHRuntimeException e) {
            throw new TransportException(DisconnectReason.KEY_EXCHANGE_FAILED, "KeyExchange certificate check failed");
        }
        if (problem != null) {
            throw new TransportException(DisconnectReason.KEY_EXCHANGE_FAILED, "KeyExchange certificate check failed: " + problem);
        }
    }

    @Override
    public BigInteger getK() {
        return sharedSecret;
    }
}
