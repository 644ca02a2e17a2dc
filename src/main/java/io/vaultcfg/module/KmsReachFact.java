package io.vaultcfg.module;

import static io.vaultcfg.shell.ShellQuote.quote;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import java.time.Duration;

/**
 * Whether the host reaches its KMS endpoint: a TCP connection and, for {@code https://}, a TLS handshake that
 * verifies the endpoint's certificate, within a short timeout. Any HTTP answer counts: KMS answers a bare GET
 * with an error, which still proves the path. Read with curl, which the role probe needs too.
 */
public record KmsReachFact(String endpoint) implements CommandFact<KmsReachFact.Reading> {
    static final int CONNECT_SECONDS = 5;

    /** @param problem what curl said when the endpoint was not reached */
    public record Reading(boolean reached, String problem) {
    }

    /** Sets nothing and never exits: runs in the facts script's own shell. */
    @Override
    public boolean needsSubshell() {
        return false;
    }

    @Override
    public String shell() {
        return "curl -sS --noproxy '*' --connect-timeout " + CONNECT_SECONDS + " --max-time " + (CONNECT_SECONDS + 3)
                + " -o /dev/null " + quote(endpoint) + " && echo @@vc-kms-reached";
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(CONNECT_SECONDS + 8L);
    }

    @Override
    public Reading parse(CommandOutput output) {
        if (output.exitCode() == 0 && output.output().contains("@@vc-kms-reached")) {
            return new Reading(true, "");
        }
        String said = output.output().strip().lines().reduce((a, b) -> b).orElse("exit code " + output.exitCode());
        return new Reading(false, said.length() > 200 ? said.substring(0, 200) + "…" : said);
    }
}
