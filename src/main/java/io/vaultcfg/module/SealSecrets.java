package io.vaultcfg.module;

import io.vaultcfg.aws.SecretAccessKeyForm;
import io.vaultcfg.secret.Redactor;

/**
 * The secrets a node's seal set-up holds, given to the redactor as soon as they are read: the secret access keys
 * of its env files and of its seal stanzas ({@code secret_key}). Only values of the AWS secret's form count: a
 * host must not be able to make ordinary words vanish from every message of a run.
 */
final class SealSecrets {
    private SealSecrets() {
    }

    static void register(EffectiveServiceConfig config, Redactor redactor) {
        config.envFiles().values().forEach(file -> file.text().ifPresent(text -> EnvFile.variables(text).forEach((name, value) -> {
            if (name.contains("SECRET") || name.contains("TOKEN")) {
                SecretAccessKeyForm.keysWithin(value).forEach(redactor::add);
            }
        })));
        config.variables().forEach((name, value) -> {
            if (name.contains("SECRET") || name.contains("TOKEN")) {
                SecretAccessKeyForm.keysWithin(value.value()).forEach(redactor::add);
            }
        });
        for (SealStanzas.Seal seal : config.seals()) {
            seal.attributes().forEach((name, value) -> {
                if (name.contains("secret") || name.contains("token") || name.equals("access_key")) {
                    SecretAccessKeyForm.keysWithin(value).forEach(redactor::add);
                }
            });
        }
    }
}
