"""The holder's name of any signed pass, as the DCC's `nam` shape ({fn, gn}) that masking reads."""

from __future__ import annotations

from typing import Any


def holder_name(payload: dict[str, Any]) -> dict[str, Any] | None:
    """DCC `nam`; NZCP credentialSubject given/family name; SHC the first Patient's first name."""
    nam = payload.get("nam")
    if isinstance(nam, dict):
        return nam
    vc = payload.get("vc")
    if not isinstance(vc, dict):
        return None
    subject = vc.get("credentialSubject")
    if not isinstance(subject, dict):
        return None
    if "givenName" in subject:  # NZCP PublicCovidPass
        return {"fn": subject.get("familyName"), "gn": subject.get("givenName")}
    bundle = subject.get("fhirBundle")
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
            names = resource.get("name")
            name = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
            given = name.get("given")
            given_text = " ".join(g for g in given if isinstance(g, str)) if isinstance(given, list) else None
            return {"fn": name.get("family"), "gn": given_text}
    return None
