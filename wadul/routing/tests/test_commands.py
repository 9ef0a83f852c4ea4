"""`wadul route`, `wadul routing_train`, `wadul routing_eval`."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from wadul.routing.models import RoutingModel


def test_route_prints_the_decision_and_its_reasons(model, units, capsys):
    call_command("route", "lampu PJU mati di Rogojampi")
    out = capsys.readouterr().out
    assert "street_lighting_drainage" in out
    assert "Bidang Cipta Karya" in out
    assert "Rogojampi" in out
    assert "reasons:" in out and "kata:" in out


def test_route_json_has_flags_place_and_suggestions(model, units, capsys):
    call_command("route", "tanah saya diserobot tetangga", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["label"] == "ext_land"
    assert data["flags"]["outside_authority"] is True
    assert data["action"] == "refer"
    assert len(data["suggestions"]) == 3
    assert data["model_version"] == "test-seed-model"


def test_routing_train_stores_and_activates_a_versioned_model(db, capsys):
    call_command("routing_train")
    model = RoutingModel.objects.get(is_active=True)
    assert model.version in capsys.readouterr().out
    assert model.seed_examples >= 1440 and model.size > 0


def test_routing_eval_cross_validates_any_labelled_csv(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    rows = [(f"jalan rusak berlubang nomor {i}", "jalan") for i in range(6)]
    rows += [(f"lampu penerangan mati tiang {i}", "lampu") for i in range(6)]
    rows += [(f"sampah menumpuk bau busuk titik {i}", "sampah") for i in range(6)]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pesan", "kategori"])
        writer.writerows(rows)
    call_command(
        "routing_eval",
        "--csv",
        str(path),
        "--text-column",
        "pesan",
        "--label-column",
        "kategori",
        "--folds",
        "3",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("lampu") for line in lines)
    assert lines[-1] == "accuracy=1.000 macro_f1=1.000"


def test_routing_eval_refuses_a_missing_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError):
        call_command("routing_eval", "--csv", str(path), "--text-column", "text")


def test_route_prints_the_request_kind_first(model, units, capsys):
    call_command("route", "Permohonan informasi publik: salinan DPA Dinas PU 2025")
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("request:    information_request (")


def test_routing_eval_measures_the_shipped_model_on_a_held_out_file(tmp_path, capsys):
    path = tmp_path / "real.csv"
    rows = [
        ("Bising musik kafe tiap malam", "public_order"),
        ("Lampu PJU mati di depan balai desa", "street_lighting_drainage"),
        ("Jalan kabupaten berlubang dalam", "roads"),
        ("slot gacor maxwin daftar sekarang bonus deposit", "spam"),
    ]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    call_command("routing_eval", "--csv", str(path), "--held-out")
    out = capsys.readouterr().out
    assert out.startswith("4 texts held out, trained on ")
    assert "router: 4 texts, 3 genuine complaints" in out
    assert "spam_precision=1.000" in out and "triage_share=" in out and "intent_accuracy=" in out
    assert out.strip().splitlines()[-1].startswith("accuracy=")
