# managed by vaultcfg
APP_USER=${app_user}
APP_SECRET_KEY=${app_secret_key}
