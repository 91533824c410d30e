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
        from . import queue, tasks

        queue.register_run_task(tasks.run_dataflow)
        from .errors import ConnectErrorCode

        registry.register_error_codes(ConnectErrorCode)
        registry.register_urls(registry.Mount.PAGES, "connect.urls", prefix="connect/", namespace="connect")
        registry.register_urls(registry.Mount.API_V1, "connect.api.urls")
        self._register_pages(registry)

    @staticmethod
    def _register_pages(registry):
        from .policies import can_use_connect

        section = "Connect+"
        registry.register_nav_section(section, order=40)
        registry.register_nav(
            registry.NavLink(section, "Dataflows", "connect:dataflow-list", can_use_connect, order=10),
            registry.NavLink(section, "SFTP connections", "connect:connection-list", can_use_connect, order=20),
            registry.NavLink(section, "PGP keys", "connect:key-list", can_use_connect, order=30),
        )
        registry.register_audit_type("connect.dataflowrun", "Dataflow run")
        registry.register_demo(ConnectConfig._seed_demo, order=60, notes=(
            "Connect+: acme's dataflow \"Exports to partner\" (Run now as acme-admin) moves "
            "var/sftp-demo/exports/out/ to var/sftp-demo/partner/inbox/, encrypted to "
            "connect/demo_keys/partner-demo-public.asc",
        ))

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
