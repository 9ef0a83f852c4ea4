"""Routing fixtures: a small regency with real Banyuwangi names, unit-type mappings, and a
model trained once per test session on the seed corpus minus a held-out part."""

from __future__ import annotations

import io
from collections import defaultdict

import joblib
import pytest

from wadul import testing
from wadul.organisation.models import Region, Unit
from wadul.routing import classifier, training
from wadul.routing.models import RoutingModel, Territorial, UnitTypeMapping
from wadul.routing.router import clear_rule_cache

HELD_OUT_EVERY = 6


def split_seed() -> tuple[list[training.Example], list[training.Example]]:
    """Every 6th example of each unit type is held out of training."""
    seen: dict[str, int] = defaultdict(int)
    train, held_out = [], []
    for example in training.seed_examples():
        seen[example.label] += 1
        (held_out if seen[example.label] % HELD_OUT_EVERY == 0 else train).append(example)
    return train, held_out


@pytest.fixture(scope="session")
def seed_model_blob() -> bytes:
    train, _ = split_seed()
    pipeline = classifier.fit_pipeline([e.text for e in train], [e.label for e in train])
    buffer = io.BytesIO()
    joblib.dump({"pipeline": pipeline, "neighbours": {}}, buffer, compress=3)
    return buffer.getvalue()


@pytest.fixture
def model(db, seed_model_blob) -> RoutingModel:
    return RoutingModel.objects.create(
        version="test-seed-model",
        artifact=seed_model_blob,
        size=len(seed_model_blob),
        is_active=True,
    )


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_rule_cache()
    yield
    clear_rule_cache()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture
def regions(db) -> dict[str, Region]:
    r: dict[str, Region] = {}
    r["regency"] = testing.create_region("35.10", "Banyuwangi")
    for code, name in [
        ("35.10.02", "Bangorejo"),
        ("35.10.08", "Srono"),
        ("35.10.09", "Genteng"),
        ("35.10.13", "Rogojampi"),
        ("35.10.15", "Glagah"),
        ("35.10.24", "Licin"),
    ]:
        r[name] = testing.create_region(code, name, parent=r["regency"])
    for code, name, kecamatan in [
        ("35.10.02.2004", "Bangorejo", "Bangorejo"),
        ("35.10.08.2001", "Bagorejo", "Srono"),
        ("35.10.08.2005", "Sumbersari", "Srono"),
        ("35.10.09.2002", "Genteng Wetan", "Genteng"),
        ("35.10.09.2003", "Genteng Kulon", "Genteng"),
        ("35.10.13.2008", "Rogojampi", "Rogojampi"),
        ("35.10.15.2004", "Kemiren", "Glagah"),
        ("35.10.24.2003", "Licin", "Licin"),
    ]:
        r["desa " + name] = testing.create_region(code, name, parent=r[kecamatan])
    return r


@pytest.fixture
def units(regency, unit_a, subunit_a, unit_b, central_desk, pln, regions) -> dict[str, Unit]:
    """Units of the persona tree plus the ones routing needs, and the mappings."""
    u = {"roads": subunit_a, "pu": unit_a, "health": unit_b, "pln": pln}
    u["lighting"] = testing.create_unit(
        "Bidang Cipta Karya", kind=Unit.Kind.BIDANG, parent=unit_a, code="DPU-CK"
    )
    u["satpol"] = testing.create_unit("Satpol PP", kind=Unit.Kind.SATPOL_PP, parent=regency)
    u["bpbd"] = testing.create_unit("BPBD", kind=Unit.Kind.BADAN, parent=regency, code="BPBD")
    u["dlh"] = testing.create_unit("Dinas Lingkungan Hidup", parent=regency, code="DLH")
    u["bpn"] = testing.create_unit(
        "Kantor Pertanahan", kind=Unit.Kind.EXTERNAL, code="BPN", referral_text="Datang ke BPN."
    )
    u["kec_genteng"] = testing.create_unit(
        "Kecamatan Genteng",
        kind=Unit.Kind.KECAMATAN,
        parent=regency,
        code="KEC-GENTENG",
        region=regions["Genteng"],
    )
    u["desa_kemiren"] = testing.create_unit(
        "Desa Kemiren",
        kind=Unit.Kind.DESA,
        parent=regency,
        code="DESA-KEMIREN",
        region=regions["desa Kemiren"],
    )
    mapping = {
        "roads": (u["roads"], Territorial.NO),
        "street_lighting_drainage": (u["lighting"], Territorial.NO),
        "health": (u["health"], Territorial.NO),
        "public_order": (u["satpol"], Territorial.NO),
        "disaster": (u["bpbd"], Territorial.NO),
        "environment_waste": (u["dlh"], Territorial.NO),
        "ext_electricity": (u["pln"], Territorial.NO),
        "ext_land": (u["bpn"], Territorial.NO),
        "kecamatan_service": (None, Territorial.KECAMATAN),
        "village_affairs": (u["pu"], Territorial.DESA),
        "emergency": (None, Territorial.NO),
        "spam": (None, Territorial.NO),
    }
    for label, (unit, territorial) in mapping.items():
        UnitTypeMapping.objects.create(label=label, unit=unit, territorial=territorial)
    return u
