from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medpath.accounts"
    label = "accounts"
    verbose_name = "Accounts"
