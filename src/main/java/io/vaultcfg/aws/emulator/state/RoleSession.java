package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** Temporary credentials issued by AssumeRole ({@code ASIA...} key id plus session token). */
public record RoleSession(String accessKeyId, String secretAccessKey, String sessionToken, String roleName,
                          String sessionName, String sessionPolicy, Instant expiration) {

    @Override
    public String toString() {
        return "RoleSession[" + accessKeyId + ", role=" + roleName + ", session=" + sessionName + "]";
    }
}
