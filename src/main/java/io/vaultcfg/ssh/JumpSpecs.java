package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.config.JumpHostSpec;

import java.util.ArrayList;
import java.util.List;

/** A ProxyJump value, {@code [user@]host[:port][,...]} followed in order; {@code none} means direct. */
final class JumpSpecs {
    private JumpSpecs() {
    }

    /** Ports not given are 0, so that the hop's own {@code Port} from the config can apply. */
    static List<JumpHost> parse(String spec, String location, String field) {
        if (spec.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<JumpHost> hops = new ArrayList<>();
        for (String hop : spec.split(",", -1)) {
            hops.add(hop(hop.trim(), location, field));
        }
        return hops;
    }

    private static JumpHost hop(String text, String location, String field) {
        JumpHostSpec spec = JumpHostSpec.parse(text, location, field);
        String user = spec.user();
        String host = spec.host();
        if (user != null && user.isEmpty()) {
            throw new ConfigException(location, field, JumpHostSpec.FORMAT);
        }
        String problem = HostNames.problem(host);
        if (problem == null && user != null) {
            problem = HostNames.problem(user) == null ? null : "user name " + HostNames.problem(user);
        }
        if (problem != null) {
            throw new ConfigException(location, field, "jump host " + problem + "; refused as OpenSSH refuses it");
        }
        return new JumpHost(user, host, spec.port());
    }
}
