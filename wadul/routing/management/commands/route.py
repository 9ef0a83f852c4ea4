from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from wadul.routing.router import route_text


class Command(BaseCommand):
    help = 'Show how a text would be routed: wadul route "lampu PJU mati di Rogojampi"'

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--lat", type=float)
        parser.add_argument("--lon", type=float)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, text, lat, lon, json: bool, **options):
        decision = route_text(text, lat, lon)
        data = decision.as_dict()
        if json:
            self.stdout.write(_dumps(data))
            return
        flags = [name for name, on in data["flags"].items() if on]
        intent = data["intent"]
        self.stdout.write(
            f"request:    {intent['kind']} ({intent['confidence']:.0%}"
            f"{'' if intent['sure'] else ', not sure'})"
        )
        self.stdout.write(f"action:     {data['action']}")
        self.stdout.write(f"unit type:  {data['label'] or '-'} ({data['confidence']:.0%})")
        self.stdout.write(f"unit:       {data['unit'] or '-'} {data['unit_code']}".rstrip())
        self.stdout.write(f"flags:      {', '.join(flags) or '-'}")
        place = data["place"]
        self.stdout.write(
            f"place:      {place['name']} ({place['kecamatan']}, {place['source']})"
            if place
            else "place:      -"
        )
        self.stdout.write(f"model:      {data['model_version'] or '-'}")
        self.stdout.write("reasons:")
        for reason in data["reasons"]:
            self.stdout.write(f"  - {reason['detail']}")
        self.stdout.write("suggestions:")
        for s in data["suggestions"]:
            self.stdout.write(f"  - {s['label']} {s['confidence']:.0%} {s['unit']}".rstrip())


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
