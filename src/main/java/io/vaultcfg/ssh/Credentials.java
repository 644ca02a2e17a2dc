package io.vaultcfg.ssh;

import net.schmizz.sshj.userauth.method.AuthMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The keys and certificates one connection offers, in OpenSSH's order (see {@link ClientKeys}).
 * sshj's auth methods keep per-login state, so every login gets fresh ones from {@link #methods()}.
 *
 * @param offers    what is offered, in order
 * @param described what was offered or looked at, for an authentication failure: names only, no key material
 */
record Credentials(List<Offer> offers, List<String> described) {

    /** One key or certificate to offer. */
    record Offer(Supplier<AuthMethod> method) {
    }

    Credentials {
        offers = List.copyOf(offers);
        described = List.copyOf(described);
    }

    List<AuthMethod> methods() {
        List<AuthMethod> methods = new ArrayList<>(offers.size());
        offers.forEach(offer -> methods.add(offer.method().get()));
        return methods;
    }

    List<String> describe() {
        return described;
    }
}
