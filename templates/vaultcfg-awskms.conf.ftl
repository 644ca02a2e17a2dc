# Managed by vaultcfg. The packaged unit starts ${vault_binary} with only ${vault_config_dir}/${vault_main_config};
# this drop-in adds the AWS credentials and makes the server load the awskms seal stanza too.
[Service]
EnvironmentFile=${vault_config_dir}/${vault_env_file}
ExecStart=
ExecStart=${vault_binary} server -config=${vault_config_dir}/${vault_main_config} -config=${vault_config_dir}/${vault_seal_file}
