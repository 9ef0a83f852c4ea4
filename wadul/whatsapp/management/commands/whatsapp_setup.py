"""wadul whatsapp_setup — check the connection to the WhatsApp Business Account and say what
is still missing: settings, the token, the numbers, the app's webhook subscription."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.whatsapp import onboarding


class Command(BaseCommand):
    help = (
        "Check the access token, list the account's phone numbers (quality, messaging limit), "
        "subscribe the app to the account's webhooks, and say what is still missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-subscribe", action="store_true", help="Only look; do not subscribe the app."
        )

    def handle(self, *args, no_subscribe: bool, **options):
        findings = onboarding.settings_findings()
        configured = {f.what: f.ok for f in findings}
        if configured.get("WHATSAPP_ACCESS_TOKEN is set"):
            findings.append(onboarding.check_token())
            if configured.get("WHATSAPP_WABA_ID is set"):
                findings.append(onboarding.check_numbers())
                if not no_subscribe:
                    findings.append(onboarding.subscribe_app())
        for finding in findings:
            mark = "OK  " if finding.ok else "TODO"
            self.stdout.write(f"{mark} {finding.what}")
            for line in finding.lines:
                self.stdout.write(f"       {line}")
            if not finding.ok and finding.todo:
                self.stdout.write(f"       → {finding.todo}")
        missing = [f for f in findings if not f.ok]
        if missing:
            raise CommandError(f"{len(missing)} thing(s) still to do (marked TODO above).")
        self.stdout.write("WhatsApp is connected. Next: `wadul whatsapp_templates push`.")
