"""The rule families' registry against everything that must agree with it."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from rostering import evaluate
from rostering.domain import LIMIT_KEYS
from rostering.io.site_model import RawContract
from rostering.model.build import RULES
from rostering.model.families import FAMILIES, FAMILY_NAMES, LIMIT_KINDS

TESTS = Path(__file__).parent / "rules"


def test_evaluate_judges_every_family_of_the_registry_in_its_order() -> None:
    assert evaluate.FAMILIES == FAMILY_NAMES


def test_every_family_has_its_model_rule_and_test_file() -> None:
    assert [name for name, _ in RULES] == list(FAMILY_NAMES)
    for family in FAMILIES:
        rule = import_module(f"rostering.model.rules.{family.name}")
        assert family.name == rule.NAME and callable(rule.add)
        assert (TESTS / f"test_{family.name}.py").exists(), family.name


def test_contract_keys_are_the_registry_s_and_the_domain_s() -> None:
    assert tuple(LIMIT_KINDS) == LIMIT_KEYS == tuple(RawContract.model_fields)
    enforced = {key for family in FAMILIES for key in family.limits}
    assert enforced == set(LIMIT_KINDS)
