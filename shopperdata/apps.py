from django.apps import AppConfig


class ShopperdataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shopperdata"
