"""`render_text`: the one renderer of words sent to citizens and officials."""

from __future__ import annotations

import pytest
from django.utils import translation

from wadul.core.texts import render_text

TEMPLATES = {
    "texts/layout.txt": "  {{ greeting }}   \n\n\n\n{% if show %}\n  Isi pesan.  \n{% endif %}\n\n",
    "texts/word.txt": '{% load i18n %}{% translate "photo publication decided" %}',
}


@pytest.fixture(autouse=True)
def _templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def test_layout_whitespace_folds_to_one_blank_line_between_paragraphs():
    text = render_text("texts/layout.txt", greeting="Halo", show=True)
    assert text == "Halo\n\n  Isi pesan."


def test_without_folding_the_text_is_only_stripped():
    text = render_text("texts/layout.txt", fold=False, greeting="Halo", show=True)
    assert text == "Halo   \n\n\n\n\n  Isi pesan."


def test_indonesian_whatever_language_the_caller_runs_in():
    with translation.override("en"):
        assert render_text("texts/word.txt") == "publikasi foto diputuskan"
        assert render_text("texts/word.txt", language="en") == "photo publication decided"
        assert translation.get_language() == "en"
