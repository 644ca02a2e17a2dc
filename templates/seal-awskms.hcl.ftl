# Managed by vaultcfg. Credentials come from the environment (vault.env), never from this file.
seal "awskms" {
  region     = "${aws_region?json_string}"
  kms_key_id = "${kms_key_id?json_string}"
<#if vault_kms_endpoint?has_content>
  endpoint   = "${vault_kms_endpoint?json_string}"
</#if>
}
