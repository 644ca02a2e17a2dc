package io.vaultcfg.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client of ssh-agent's protocol (draft-miller-ssh-agent) over its Unix socket: list the identities,
 * and have the agent sign with one. The private keys never leave the agent. One connection per
 * request, so any number of SSH connections may use it at once.
 */
final class SshAgentClient {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    /** An agent answer larger than this is refused rather than read into memory. */
    private static final int MAX_MESSAGE = 256 * 1024;

    /** One key the agent holds: its public key blob (a key or an OpenSSH certificate) and comment. */
    record Identity(byte[] blob, String comment) {
        String type() {
            ByteBuffer buffer = ByteBuffer.wrap(blob);
            try {
                return new String(string(buffer), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    private final Path socket;

    SshAgentClient(Path socket) {
        this.socket = socket;
    }

    /** The agent named by {@code SSH_AUTH_SOCK}, if set. */
    static Optional<SshAgentClient> fromEnvironment(Map<String, String> environment) {
        String path = environment.get("SSH_AUTH_SOCK");
        return path == null || path.isBlank() ? Optional.empty() : Optional.of(new SshAgentClient(Path.of(path)));
    }

    Path socket() {
        return socket;
    }

    List<Identity> identities() throws IOException {
        ByteBuffer answer = exchange(new byte[] {REQUEST_IDENTITIES});
        byte type = answer.get();
        if (type != IDENTITIES_ANSWER) {
            throw new IOException("ssh-agent at " + socket + " refused to list its keys (answer " + type + ")");
        }
        int count = answer.getInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("ssh-agent at " + socket + " sent a malformed key list");
        }
        List<Identity> identities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] blob = string(answer);
            identities.add(new Identity(blob, new String(string(answer), StandardCharsets.UTF_8)));
        }
        return identities;
    }

    /** The signature blob ({@code string algorithm, string signature}) of {@code data} by the key {@code blob}. */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(1 + 4 + blob.length + 4 + data.length + 4);
        request.put(SIGN_REQUEST).putInt(blob.length).put(blob).putInt(data.length).put(data).putInt(flags);
        ByteBuffer answer = exchange(request.array());
        byte type = answer.get();
        if (type == FAILURE) {
            throw new IOException("ssh-agent at " + socket + " refused to sign (the key may need confirmation, "
                    + "or a hardware token may need a touch or a PIN)");
        }
        if (type != SIGN_RESPONSE) {
            throw new IOException("ssh-agent at " + socket + " sent an unexpected answer " + type + " to a sign request");
        }
        return string(answer);
    }

    private ByteBuffer exchange(byte[] message) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer lengthBytes = readFully(channel, 4);
            int length = lengthBytes.getInt();
            if (length < 1 || length > MAX_MESSAGE) {
                throw new IOException("ssh-agent at " + socket + " sent a message of " + length + " bytes");
            }
            return readFully(channel, length);
        }
    }

    private ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("ssh-agent at " + socket + " closed the connection mid-answer");
            }
        }
        return buffer.flip();
    }

    private static byte[] string(ByteBuffer buffer) throws IOException {
        if (buffer.remaining() < 4) {
            throw new IOException("truncated ssh-agent message");
        }
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IOException("truncated ssh-agent message");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
