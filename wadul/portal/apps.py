from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wadul.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Registered once the apps are loaded (the channel module imports models).
        from wadul.cases import channels
        from wadul.portal import masking, public, retention
        from wadul.portal.channel import WEB
        from wadul.privacy import services as privacy

        channels.register(WEB)
        retention.register_rules()
        # Erasure masks free text with the same masker as the public pages.
        privacy.set_text_masker(
            lambda names: masking.Masker(tuple(names)),
            masking.name_terms,
            lambda case: public.global_terms() + [t.term for t in case.personal_terms.all()],
        )
