# Managed by vaultcfg: AWS credentials for Vault's awskms seal.
# Loaded by systemd (EnvironmentFile=). Keep it owned by ${vault_user}, mode 0600.
AWS_ACCESS_KEY_ID=${aws_access_key_id}
AWS_SECRET_ACCESS_KEY=${aws_secret_access_key}
AWS_DEFAULT_REGION=${aws_region}
