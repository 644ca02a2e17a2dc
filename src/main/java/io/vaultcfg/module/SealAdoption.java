package io.vaultcfg.module;

import io.vaultcfg.module.EffectiveServiceConfig.Sourced;
import io.vaultcfg.module.SealStanzas.Seal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a node's existing seal set-up, as its service loads it, is taken over, left to vaultcfg's own files,
 * or refused. The same decision on the controller (before any AWS write, for every host) and on each host (for
 * its files), so both refuse the same nodes.
 *
 * <p>Adopted: one {@code seal "awskms"} stanza (wherever it lives) naming the planned key in the planned region,
 * credentials in an env file the unit loads. Refused: another seal type, two stanzas, a stanza naming another
 * region, account or key, credentials inside the stanza or the unit file, or a configuration that cannot be read
 * whole (a stanza vaultcfg cannot see could make two).
 */
final class SealAdoption {
    static final String VAULTCFG_LAYOUT = "vaultcfg's own files";
    private static final Set<String> STANZA_CREDENTIALS = Set.of("access_key", "secret_key", "session_token");
    private static final String VAULT_DEFAULT_REGION = "us-east-1";

    /**
     * What the run plans, as a host sees it.
     *
     * @param keyNames  the planned key's spellings a stanza may use: its id, its ARN, the alias and the alias's ARN;
     *                  empty when the key is not known yet (it would be created)
     * @param account   the planned key's account, when known
     * @param endpoint  the {@code endpoint} the stanza should name (empty: none)
     * @param envFile   vaultcfg's env file, {@code sealFile} its stanza file
     * @param move      the operator asked to move an adopted stanza into {@code sealFile}
     */
    record Planned(Set<String> keyNames, String region, Optional<String> account, Optional<String> endpoint, String envFile,
                   String sealFile, boolean move) {
    }

    /**
     * @param refusal     why nothing may change on this node
     * @param adopted     the awskms stanza taken over as is (empty: vaultcfg's own stanza file is written)
     * @param credentials the env file the unit loads that holds AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
     * @param findings    what is left as it is and worth knowing
     */
    record Decision(Optional<String> refusal, Optional<Seal> adopted, Optional<String> credentials, List<String> findings,
                    EffectiveServiceConfig config, Planned planned) {
        /** The adopted stanza lives outside vaultcfg's file and stays there. */
        boolean adoptedElsewhere() {
            return adopted.filter(seal -> !seal.file().equals(planned.sealFile())).isPresent() && !planned.move();
        }

        /** The adopted stanza is to be moved into vaultcfg's file. */
        boolean moving() {
            return adopted.filter(seal -> !seal.file().equals(planned.sealFile())).isPresent() && planned.move();
        }
    }

    private SealAdoption() {
    }

    static Decision decide(EffectiveServiceConfig config, Planned planned) {
        List<String> findings = new ArrayList<>();
        if (!config.found()) {
            return new Decision(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), config, planned);
        }
        if (!config.unreadable().isEmpty()) {
            return refused("what the service loads cannot be read whole (" + String.join("; ", config.unreadable())
                    + "); vaultcfg neither adds a seal beside nor adopts a configuration it cannot see", config, planned);
        }
        Map<String, Sourced> variables = config.variables();
        Optional<Sourced> sealType = Optional.ofNullable(variables.get("VAULT_SEAL_TYPE")).or(() -> Optional.ofNullable(variables.get("BAO_SEAL_TYPE")));
        if (sealType.filter(type -> !type.value().equals("awskms")).isPresent()) {
            return refused("the seal type is set to '" + sealType.get().value() + "' in " + sealType.get().file()
                    + ": this node is on another seal; moving it to awskms is a seal migration vaultcfg does not make", config, planned);
        }
        List<Seal> seals = config.seals();
        if (seals.size() > 1) {
            return refused(seals.size() + " seal stanzas are loaded (" + seals.stream().map(s -> "\"" + s.type() + "\" at " + s.place())
                    .collect(Collectors.joining(", ")) + "): a seal migration in progress or a mistake; vaultcfg takes over or "
                    + "adds one awskms seal only, and never a second one", config, planned);
        }
        Optional<String> credentials = credentialsFile(variables, config);
        if (credentials.filter(file -> config.unitFiles().contains(file)).isPresent()) {
            return refused("AWS credentials are set in the unit file " + credentials.get() + " (Environment=), which every local "
                    + "user can read: left as they are (moving them is a change of its own); put them in an env file "
                    + "(mode 0600) and run again", config, planned);
        }
        if (seals.isEmpty()) {
            return new Decision(Optional.empty(), Optional.empty(), credentials, List.of(), config, planned);
        }
        Seal seal = seals.get(0);
        if (!seal.type().equals("awskms")) {
            return refused("seal \"" + seal.type() + "\" at " + seal.place() + ": this node is on another seal type; moving it "
                    + "to awskms is a seal migration (both stanzas, 'operator unseal -migrate') that vaultcfg does not make, "
                    + "and it never stacks a second seal on it", config, planned);
        }
        List<String> inStanza = STANZA_CREDENTIALS.stream().filter(seal.attributes()::containsKey).sorted().toList();
        if (!inStanza.isEmpty()) {
            return refused("finding: the seal \"awskms\" stanza at " + seal.place() + " holds AWS credentials ("
                    + String.join(", ", inStanza) + "), readable by anyone who can read the configuration; left as they are "
                    + "(moving them to an env file is a change of its own): move them to an env file the unit loads, mode "
                    + "0600, then run again", config, planned);
        }
        Optional<String> keyOverride = Optional.ofNullable(variables.get("VAULT_AWSKMS_SEAL_KEY_ID"))
                .or(() -> Optional.ofNullable(variables.get("BAO_AWSKMS_SEAL_KEY_ID"))).map(Sourced::value);
        Optional<String> key = keyOverride.or(() -> seal.attribute("kms_key_id"));
        if (key.isEmpty()) {
            return refused("the seal \"awskms\" stanza at " + seal.place() + " names no kms_key_id", config, planned);
        }
        String region = seal.attribute("region").or(() -> value(variables, "AWS_REGION"))
                .or(() -> value(variables, "AWS_DEFAULT_REGION")).orElse(VAULT_DEFAULT_REGION);
        String[] arn = key.get().split(":");
        if (key.get().startsWith("arn:") && arn.length > 5) {
            region = arn[3];
            if (planned.account().filter(account -> !account.equals(arn[4])).isPresent()) {
                return refused("the seal \"awskms\" stanza at " + seal.place() + " names a KMS key of AWS account " + arn[4]
                        + ", not the planned account " + planned.account().get() + ": vaultcfg does not take over another "
                        + "account's key; check aws_account_id and the AWS profile", config, planned);
            }
        }
        if (!region.equals(planned.region())) {
            return refused("the seal \"awskms\" stanza at " + seal.place() + " names KMS key " + key.get() + " in " + region
                    + ", not the planned region " + planned.region() + ": its data is sealed by that key; set aws_region to "
                    + region + " to take it over", config, planned);
        }
        boolean ours = seal.file().equals(planned.sealFile());
        if (!planned.keyNames().contains(key.get())) {
            if (ours) {
                return new Decision(Optional.empty(), Optional.empty(), credentials, List.of(), config, planned);
            }
            String hint = key.get().startsWith("alias/") || key.get().contains(":alias/")
                    ? " (an alias vaultcfg does not manage: set kms_alias to it to take the key over)" : "";
            return refused("the seal \"awskms\" stanza at " + seal.place() + " names KMS key " + key.get() + hint
                    + ", not the planned key" + (planned.keyNames().isEmpty() ? " (a new key would be made)" : "")
                    + ": vaultcfg adopts a stanza only when it names the key it plans; an initialized node cannot move to "
                    + "another key by a restart", config, planned);
        }
        Optional<String> endpoint = seal.attribute("endpoint");
        if (ours && !endpoint.equals(planned.endpoint())) {
            return new Decision(Optional.empty(), Optional.empty(), credentials, List.of(), config, planned);
        }
        if (!endpoint.equals(planned.endpoint())) {
            findings.add("the stanza at " + seal.place() + " names endpoint " + endpoint.orElse("(none)") + ", vault_kms_endpoint "
                    + planned.endpoint().orElse("(none)") + ": left as it is");
        }
        if (keyOverride.isPresent()) {
            findings.add("the key is set by VAULT_AWSKMS_SEAL_KEY_ID/BAO_AWSKMS_SEAL_KEY_ID in an env file, over the stanza");
        }
        return new Decision(Optional.empty(), Optional.of(seal), credentials, List.copyOf(findings), config, planned);
    }

    private static Optional<String> value(Map<String, Sourced> variables, String name) {
        return Optional.ofNullable(variables.get(name)).map(Sourced::value).filter(v -> !v.isEmpty());
    }

    /** The file that sets the access key the service uses: where AWS_SECRET_ACCESS_KEY comes from, if both are set. */
    private static Optional<String> credentialsFile(Map<String, Sourced> variables, EffectiveServiceConfig config) {
        Sourced secret = variables.get("AWS_SECRET_ACCESS_KEY");
        Sourced id = variables.get("AWS_ACCESS_KEY_ID");
        if (secret == null || id == null || secret.value().isEmpty() || id.value().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(secret.file());
    }

    private static Decision refused(String why, EffectiveServiceConfig config, Planned planned) {
        return new Decision(Optional.of(why), Optional.empty(), Optional.empty(), List.of(), config, planned);
    }
}
