from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self):
        # The offline checkout's events go where Stripe's go: to the webhook's receiver. Handed
        # in here, the module above both, as the webhook handling runs the services that use
        # the offline gateway.
        from payments import offline, webhooks

        offline.connect_event_receiver(webhooks.event_receive)
