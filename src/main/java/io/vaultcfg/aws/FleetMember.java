package io.vaultcfg.aws;

import java.util.Optional;

/**
 * One host of the play as the access-key lifecycle and the seal guard see it.
 *
 * @param targeted  the run may change this host (inside --limit)
 * @param unread    why this host's files could not be read in this run; empty when they were
 * @param forgotten the operator named it in vaultcfg_forget_hosts: gone for good, its key no longer protected
 * @param held      the access key pair in its env file
 * @param stanza    the awskms seal stanza on it
 * @param node      whether its Vault node is initialized, as its status says
 */
public record FleetMember(String name, boolean targeted, Optional<String> unread, boolean forgotten,
                          Optional<HeldCredentials> held, Optional<SealStanza> stanza, Node node) {

    public enum Node { INITIALIZED, NOT_INITIALIZED, UNKNOWN }

    public static FleetMember read(String name, boolean targeted, Optional<HeldCredentials> held,
                                   Optional<SealStanza> stanza, Node node) {
        return new FleetMember(name, targeted, Optional.empty(), false, held, stanza, node);
    }

    public static FleetMember unread(String name, boolean targeted, String why, boolean forgotten) {
        return new FleetMember(name, targeted, Optional.of(why), forgotten, Optional.empty(), Optional.empty(), Node.UNKNOWN);
    }

    public boolean isRead() {
        return unread.isEmpty();
    }
}
