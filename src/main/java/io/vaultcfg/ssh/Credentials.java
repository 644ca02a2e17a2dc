package io.vaultcfg.ssh;

import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys one connection offers, in OpenSSH's order: the agent's keys first, then the key files.
 * sshj's auth methods keep per-login state, so every login gets fresh ones from {@link #methods()}.
 */
record Credentials(SshAgentClient agent, List<SshAgentClient.Identity> agentKeys, List<Path> files,
                   List<KeyProvider> fileKeys) {

    Credentials {
        agentKeys = List.copyOf(agentKeys);
        files = List.copyOf(files);
        fileKeys = List.copyOf(fileKeys);
    }

    List<AuthMethod> methods() {
        List<AuthMethod> methods = new ArrayList<>(agentKeys.size() + fileKeys.size());
        for (SshAgentClient.Identity identity : agentKeys) {
            methods.add(new AgentAuthMethod(agent, identity));
        }
        for (KeyProvider key : fileKeys) {
            methods.add(new AuthPublickey(key));
        }
        return methods;
    }

    /** What was offered, for an authentication failure: no key material, only names. */
    List<String> describe() {
        List<String> names = new ArrayList<>();
        if (!agentKeys.isEmpty()) {
            names.add(agentKeys.size() + " key(s) of ssh-agent " + agent.socket());
        }
        files.forEach(file -> names.add(file.toString()));
        return names;
    }
}
