"""Editing Qt Linguist .ts files in tests, as a translator would."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def set_translation(translation: ET.Element, text: str) -> None:
    """Give one <translation> its text (every plural form alike) and mark it finished."""
    forms = list(translation.iter("numerusform"))
    for form in forms:
        form.text = text
    if not forms:
        translation.text = text
    translation.attrib.pop("type", None)
