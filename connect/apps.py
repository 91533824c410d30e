from django.apps import AppConfig


class ConnectConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "connect"
    verbose_name = "Connect+"

    def ready(self):
        from accessadmin import crypto, registry

        from .models import PgpKey, SftpConnection

        crypto.register(SftpConnection, "password_encrypted", "private_key_encrypted", "passphrase_encrypted")
        crypto.register(PgpKey, "secret_armored_encrypted", "passphrase_encrypted")
        registry.register_urls(registry.Mount.PAGES, "connect.urls", prefix="connect/", namespace="connect")
        registry.register_urls(registry.Mount.API_V1, "connect.api.urls")
