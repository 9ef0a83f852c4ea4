"""The transfer/assign picker: agencies with their divisions, kecamatan with their desa, each
desa labelled with its kecamatan, and a search box (static JS) above it."""

from __future__ import annotations

import re

from wadul import testing
from wadul.inbox.tests.test_case_page import page
from wadul.organisation.models import Unit

D = Unit.Kind


def test_the_picker_is_grouped_and_tells_look_alike_desa_apart(
    client, official_a, case_a, subunit_a, unit_b, regency
):
    for kecamatan in ("Licin", "Genteng"):
        office = testing.create_unit(f"Kecamatan {kecamatan}", kind=D.KECAMATAN, parent=regency)
        testing.create_unit("Desa Tamansari", kind=D.DESA, parent=office)
    testing.login(client, official_a)
    html = page(client, case_a)
    select = re.search(r'<select name="unit" id="transfer-unit">(.*?)</select>', html, re.S)[1]
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    assert "Bidang Bina Marga" in groups["Dinas PU"]
    assert ">Desa Tamansari · Licin<" in groups["Kecamatan Licin"]
    assert ">Desa Tamansari · Genteng<" in groups["Kecamatan Genteng"]
    assert "Dinas Kesehatan" in groups["Perangkat daerah"]  # an agency without divisions
    assert f'value="{case_a.unit_id}"' not in select  # not to the unit that has it
    assert 'class="unit-filter" data-for="transfer-unit"' in html
    assert "wadul/unit_filter.js" in html
