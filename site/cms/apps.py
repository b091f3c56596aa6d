from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "medpath.cms"
    label = "cms"
    verbose_name = "Guidance pages"
