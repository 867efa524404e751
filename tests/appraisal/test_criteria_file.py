"""Criteria files: YAML and TOML, with errors naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.appraisal import (
    AppraisalError,
    CriteriaFileError,
    MetricBound,
    MustInclude,
    read_criteria_file,
    read_criteria_text,
)

KNOWN = {"min_vol", "max_vol", "p95", "good"}
SITES = {"maidstone": "Maidstone", "ashford": "Ashford"}


def resolve(name: str) -> str:
    try:
        return SITES[name.lower()]
    except KeyError:
        raise AppraisalError(f"unknown site {name!r}; valid: Maidstone, Ashford") from None


YAML = """\
hurdles:
  - metric: min_vol
    min: 500
  - include: [maidstone]
criteria:
  - name: Access
    metric: p95
    weight: 2
    direction: lower
options:
  - name: Option X
    sites: [Maidstone, Ashford]
"""


def test_yaml_reads_rules_criteria_and_options() -> None:
    spec = read_criteria_text(YAML, "c.yaml", known_metrics=KNOWN, resolve_member=resolve)
    assert spec.hurdles[0] == MetricBound("min_vol", 500.0, None)
    assert spec.hurdles[1] == MustInclude(("Maidstone",))
    assert spec.criteria[0].direction == "lower"
    assert spec.options[0].members == ("Maidstone", "Ashford")


def test_unknown_metric_names_the_line() -> None:
    bad = YAML.replace("metric: p95", "metric: p99")
    with pytest.raises(CriteriaFileError, match=r"c.yaml, line 6: unknown metric 'p99'"):
        read_criteria_text(bad, "c.yaml", known_metrics=KNOWN)


def test_malformed_rule_names_the_line() -> None:
    bad = YAML.replace("min: 500", "min: lots")
    with pytest.raises(CriteriaFileError, match=r"line 2: 'min' must be a number"):
        read_criteria_text(bad, "c.yaml", known_metrics=KNOWN)
    bad = YAML.replace("  - include: [maidstone]", "  - colour: blue")
    with pytest.raises(CriteriaFileError, match=r"line 4: a hurdle needs one of"):
        read_criteria_text(bad, "c.yaml", known_metrics=KNOWN)


def test_unknown_site_names_the_line() -> None:
    bad = YAML.replace("[Maidstone, Ashford]", "[Maidstone, Margate]")
    with pytest.raises(CriteriaFileError, match=r"line 11: unknown site 'Margate'"):
        read_criteria_text(bad, "c.yaml", known_metrics=KNOWN, resolve_member=resolve)


def test_toml_with_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(
        '[[hurdles]]\nmetric = "max_vol"\nmax = 1500\n\n'
        '[[hurdles]]\nexpression = "p95 <= 60 and bogus > 1"\n'
    )
    with pytest.raises(CriteriaFileError, match=r"c.toml, line 5: .*unknown metric\(s\) bogus"):
        read_criteria_file(p, known_metrics=KNOWN)
    p.write_text('[[criteria]]\nmetric = "good"\nweight = 1\n')
    spec = read_criteria_file(p, known_metrics=KNOWN)
    assert spec.criteria[0].name == "good"


def test_missing_file() -> None:
    with pytest.raises(CriteriaFileError, match="cannot be read"):
        read_criteria_file("/nonexistent/criteria.yaml")
