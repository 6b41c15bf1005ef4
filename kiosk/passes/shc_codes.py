"""Code tables for the venue rules on SMART Health Cards: which FHIR codes mean what.

Data, not logic: a venue or a new vaccine changes a table, never `shc_rules.py`.
Sources: the CDC CVX code set (COVID-19 vaccines), SNOMED CT vaccine and result
concepts, and LOINC SARS-CoV-2 test codes, as used by the SMART Health Cards
Vaccination & Testing implementation guide.
"""

from __future__ import annotations

from typing import Literal

CVX = "http://hl7.org/fhir/sid/cvx"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"

# COVID-19 vaccine → doses of its primary series. A series is complete once the visitor
# has at least as many doses as the shortest series among the products received.
VACCINE_DOSES: dict[tuple[str, str], int] = {
    (CVX, "207"): 2,  # Moderna, 100 mcg
    (CVX, "208"): 2,  # Pfizer-BioNTech, 30 mcg
    (CVX, "210"): 2,  # AstraZeneca
    (CVX, "211"): 2,  # Novavax
    (CVX, "212"): 1,  # Janssen
    (CVX, "213"): 2,  # SARS-COV-2 vaccine, unspecified formulation
    (CVX, "217"): 2,  # Pfizer-BioNTech, 12 years and older, tris-sucrose
    (CVX, "218"): 2,  # Pfizer-BioNTech, 5-11 years
    (CVX, "219"): 3,  # Pfizer-BioNTech, 6 months-4 years
    (CVX, "221"): 2,  # Moderna, 50 mcg
    (CVX, "225"): 2,  # Sanofi
    (CVX, "226"): 2,  # SK Bioscience
    (CVX, "227"): 2,  # Moderna, 6 months-5 years
    (CVX, "228"): 2,  # Moderna, 6 months-5 years, 25 mcg
    (CVX, "229"): 1,  # Moderna bivalent, 12 years and older
    (CVX, "230"): 1,  # Moderna bivalent, 6 months-5 years
    (CVX, "300"): 1,  # Pfizer-BioNTech bivalent, 12 years and older
    (CVX, "301"): 1,  # Pfizer-BioNTech bivalent, 5-11 years
    (CVX, "302"): 3,  # Pfizer-BioNTech bivalent, 6 months-4 years
    (CVX, "309"): 1,  # Pfizer-BioNTech 2023-2024, 12 years and older
    (CVX, "310"): 1,  # Pfizer-BioNTech 2023-2024, 5-11 years
    (CVX, "311"): 1,  # Moderna 2023-2024, 12 years and older
    (CVX, "312"): 1,  # Moderna 2023-2024
    (CVX, "313"): 2,  # Novavax 2023-2024
    (CVX, "500"): 2,  # non-US vaccine, product unknown
    (CVX, "502"): 2,  # Covaxin
    (CVX, "504"): 1,  # Sputnik Light
    (CVX, "505"): 2,  # Sputnik V
    (CVX, "506"): 1,  # CanSino
    (CVX, "507"): 3,  # Anhui Zhifei (ZF2001)
    (CVX, "510"): 2,  # Sinopharm (BIBP)
    (CVX, "511"): 2,  # Sinovac CoronaVac
    (SNOMED, "28531000087107"): 2,  # COVID-19 vaccine
    (SNOMED, "1119305005"): 2,  # COVID-19 antigen vaccine
    (SNOMED, "1119349007"): 2,  # COVID-19 mRNA vaccine
}

TestType = Literal["naa", "rat"]

# SARS-CoV-2 laboratory tests → nucleic acid amplification (PCR…) or rapid antigen.
TEST_TYPES: dict[tuple[str, str], TestType] = {
    **{
        (LOINC, code): "naa"
        for code in (
            "94306-8", "94309-2", "94500-6", "94531-1", "94533-7", "94534-5", "94559-2", "94565-9",
            "94640-0", "94756-4", "94757-2", "94759-8", "94760-6", "94845-5", "95406-5", "95409-9",
            "95423-0", "95424-8", "95425-5", "96094-8", "96123-5", "96448-6", "96986-5", "96958-4",
        )
    },
    **{
        (LOINC, code): "rat"
        for code in ("94558-4", "95209-3", "96119-3", "97097-0", "96757-0", "97098-8")
    },
}

# Result concepts (Observation.valueCodeableConcept).
NEGATIVE_RESULTS = frozenset({(SNOMED, "260385009"), (SNOMED, "260415000")})  # negative, not detected
POSITIVE_RESULTS = frozenset({(SNOMED, "10828004"), (SNOMED, "260373001")})  # positive, detected

IMMUNIZATION_DONE = frozenset({"completed"})
OBSERVATION_DONE = frozenset({"final", "amended", "corrected"})
