from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medpath.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from medpath.accounts.roles import remember_roles_on_login

        user_logged_in.connect(remember_roles_on_login, dispatch_uid="medpath-remember-roles")
