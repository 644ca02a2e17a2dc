APP_SECRET_KEY=${app_secret_key}
PLAIN=${plain}
