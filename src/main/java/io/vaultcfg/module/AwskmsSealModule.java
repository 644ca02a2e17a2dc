package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One file of a node's awskms seal set-up ({@code part}: {@code credentials}, {@code stanza}, {@code former_stanza},
 * {@code unit}), planned from what the service actually loads ({@link EffectiveServiceConfig}): vaultcfg's own file
 * rendered from {@code src} when nothing is there to take over, the hand-made set-up adopted when it is what vaultcfg
 * would make (only what is wrong fixed), or the node refused ({@link SealAdoption}). Every part decides alike from
 * the same facts, so the four tasks of the built-in playbook agree.
 */
final class AwskmsSealModule implements Module {
    static final Set<String> PARTS = Set.of("credentials", "stanza", "former_stanza", "unit");

    @Override
    public String name() {
        return "awskms_seal";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("part", "src", "dest", "owner", "group", "mode", "service", "unit_dir", "env_file", "seal_file",
                "region", "kms_key_id", "kms_key_arn", "kms_alias", "endpoint", "access_key_id", "secret_access_key",
                "move_stanza");
    }

    @Override
    public Action prepare(TaskInput input) {
        String part = input.requireString("part");
        if (!PARTS.contains(part)) {
            throw input.error("part", "expected one of " + String.join(", ", List.of("credentials", "stanza", "former_stanza", "unit")));
        }
        String envFile = absolute(input, "env_file");
        String sealFile = absolute(input, "seal_file");
        String unitDir = absolute(input, "unit_dir");
        Optional<Action> template = Optional.empty();
        Optional<String> dest = Optional.empty();
        if (!part.equals("former_stanza")) {
            dest = Optional.of(absolute(input, "dest"));
            Map<String, Object> args = new LinkedHashMap<>();
            for (String arg : List.of("src", "dest", "owner", "group", "mode")) {
                if (input.args().containsKey(arg)) {
                    args.put(arg, input.args().get(arg));
                }
            }
            input.requireString("src");
            template = Optional.of(new TemplateModule().prepare(new TaskInput(input.task(), args, input.vars(), input.templates(),
                    input.redactor())));
        }
        Set<String> keyNames = new HashSet<>();
        String keyId = input.optionalString("kms_key_id").orElse("");
        String keyArn = input.optionalString("kms_key_arn").orElse("");
        String alias = input.optionalString("kms_alias").orElse("");
        String region = input.requireString("region");
        Optional<String> account = Optional.empty();
        if (known(keyId)) {
            keyNames.add(keyId);
        }
        if (known(keyArn) && keyArn.split(":").length > 5) {
            keyNames.add(keyArn);
            account = Optional.of(keyArn.split(":")[4]);
            if (!alias.isEmpty()) {
                keyNames.add(alias);
                keyNames.add("arn:aws:kms:" + region + ":" + account.get() + ":" + alias);
            }
        } else if (known(keyId) && !alias.isEmpty()) {
            keyNames.add(alias); // vaultcfg_manage_aws: false, the key given by the operator together with its alias
        }
        SealAdoption.Planned planned = new SealAdoption.Planned(Set.copyOf(keyNames), region, account,
                input.optionalString("endpoint"), envFile, sealFile, input.bool("move_stanza", false));
        SealFileAction.Credentials pair = new SealFileAction.Credentials(input.optionalString("access_key_id").orElse(""),
                input.optionalString("secret_access_key").orElse(""));
        return new SealFileAction(part, dest, template, input.optionalString("owner"), input.optionalString("group"),
                input.mode("mode"), new ServiceConfigFact(input.requireString("service"), unitDir), planned, pair,
                input.redactor());
    }

    /** A value the controller will only know after applying ("(known after apply)") is no key name. */
    private static boolean known(String value) {
        return !value.isEmpty() && !value.startsWith("(");
    }

    private static String absolute(TaskInput input, String arg) {
        String path = input.requireString(arg);
        if (!path.startsWith("/")) {
            throw input.error(arg, "must be an absolute path");
        }
        return path;
    }
}
