package io.vaultcfg.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

import java.io.IOException;
import java.util.List;

/**
 * SSH "publickey" authentication with a key held by ssh-agent: the same exchange as sshj's own
 * (a query, then a signed request once the server accepts the key), but the agent signs. What is
 * presented is the agent's key (or certificate), or a certificate from a file whose key the agent holds.
 */
final class AgentAuthMethod extends AbstractAuthMethod {
    private final SshAgentClient agent;
    private final SshAgentClient.Identity identity;
    private final SshAgentClient.Identity presented;
    private String algorithm;

    AgentAuthMethod(SshAgentClient agent, SshAgentClient.Identity identity) {
        this(agent, identity, identity);
    }

    /** {@code presented} is shown to the server, {@code identity} (the agent's key) signs. */
    AgentAuthMethod(SshAgentClient agent, SshAgentClient.Identity identity, SshAgentClient.Identity presented) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        this.presented = presented;
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return buildReq(false);
    }

    private SSHPacket buildReq(boolean signed) throws UserAuthException {
        algorithm = algorithm();
        SSHPacket request = super.buildReq();
        request.putBoolean(signed).putString(algorithm).putString(presented.blob());
        return request;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) {
            sendSignedRequest();
        } else {
            super.handle(cmd, buf);
        }
    }

    private void sendSignedRequest() throws UserAuthException, TransportException {
        SSHPacket request = buildReq(true);
        byte[] signedData = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(request)
                .getCompactData();
        byte[] signature;
        try {
            signature = agent.sign(identity.blob(), signedData, flags(algorithm));
        } catch (IOException e) {
            throw new UserAuthException(e.getMessage(), e);
        }
        request.putString(signature);
        params.getTransport().write(request);
    }

    /** The algorithm to announce: for RSA keys the rsa-sha2 variant sshj negotiated with this server. */
    private String algorithm() {
        String type = presented.type();
        KeyType keyType = KeyType.fromString(type);
        if (keyType == KeyType.UNKNOWN) {
            return type;
        }
        try {
            List<KeyAlgorithm> algorithms = params.getTransport().getClientKeyAlgorithms(keyType);
            return algorithms.isEmpty() ? type : algorithms.get(0).getKeyAlgorithm();
        } catch (TransportException e) {
            return type;
        }
    }

    static int flags(String algorithm) {
        if (algorithm.startsWith("rsa-sha2-512")) {
            return SshAgentClient.RSA_SHA2_512;
        }
        if (algorithm.startsWith("rsa-sha2-256")) {
            return SshAgentClient.RSA_SHA2_256;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "ssh-agent key " + presented.comment();
    }
}
