"""The seller on receipts, from the environment: the demo's details when nothing is set, and
what live payments require (core/business.py)."""

import pytest

from core.business import (
    DEMO_TAX_NUMBER,
    business_from_environ,
    business_number_checks_out,
    business_problems,
    normalise_tax_number,
    payments_are_live,
)

REAL = {
    "BUSINESS_NAME": "Maple Admissions Coaching Ltd.",
    "BUSINESS_ADDRESS": "1 Bay Street, Floor 12; Toronto, ON  M5J 2T3",
    "BUSINESS_TAX_NUMBER": "876543216RT0001",
    "BUSINESS_EMAIL": "accounts@maple.example",
}


def test_nothing_set_gives_the_demos_details_marked_as_demo():
    business = business_from_environ({})
    assert business.is_demo
    assert business.name == "MedPath Coaching Inc."
    assert business.address_lines == (
        "100 Example Avenue, Suite 400",
        "Toronto, ON  M5V 0A1",
        "Canada",
    )
    assert business.tax_number == DEMO_TAX_NUMBER == "123456789 RT0001"
    assert business.email.endswith(".example")


def test_configured_details_are_read_and_the_tax_number_written_the_standard_way():
    business = business_from_environ(REAL)
    assert not business.is_demo
    assert business.name == "Maple Admissions Coaching Ltd."
    assert business.address_lines == ("1 Bay Street, Floor 12", "Toronto, ON  M5J 2T3")
    assert business.tax_number == "876543216 RT0001"
    assert business.email == "accounts@maple.example"


def test_a_seller_without_a_tax_number_prints_none_rather_than_the_demos():
    environ = {key: value for key, value in REAL.items() if key != "BUSINESS_TAX_NUMBER"}
    assert business_from_environ(environ).tax_number == ""


@pytest.mark.parametrize("value", ["123456789 rt 0001", "123456789RT0001", " 123456789 RT0001 "])
def test_tax_numbers_are_normalised(value):
    assert normalise_tax_number(value) == "123456789 RT0001"


@pytest.mark.parametrize(
    "value", ["12345678 RT0001", "123456789 RC0001", "123456789", "RT0001", "abc"]
)
def test_what_is_not_a_gst_hst_number_is_refused(value):
    with pytest.raises(ValueError, match="123456789 RT0001"):
        normalise_tax_number(value)


def test_the_business_number_check_digit():
    assert business_number_checks_out("876543216 RT0001")
    assert not business_number_checks_out("876543217 RT0001")
    assert not business_number_checks_out(DEMO_TAX_NUMBER)  # invented on purpose


@pytest.mark.parametrize(
    ("key", "live"),
    [("sk_live_x", True), ("rk_live_x", True), ("sk_test_x", False), ("", False)],
)
def test_only_live_keys_count_as_live_payments(key, live):
    assert payments_are_live(key) is live


def test_demo_details_are_fine_until_payments_are_live():
    demo = business_from_environ({})
    assert business_problems(demo, live=False, taxed=True) == []
    problems = business_problems(demo, live=True, taxed=True)
    assert "BUSINESS_NAME and BUSINESS_ADDRESS" in problems
    assert any("check digit" in problem for problem in problems)


def test_live_taxed_sales_need_a_valid_tax_number():
    real = business_from_environ(REAL)
    assert business_problems(real, live=True, taxed=True) == []
    untaxed = business_from_environ({k: v for k, v in REAL.items() if k != "BUSINESS_TAX_NUMBER"})
    assert business_problems(untaxed, live=True, taxed=False) == []
    assert business_problems(untaxed, live=True, taxed=True) == [
        "BUSINESS_TAX_NUMBER (tax is charged, so receipts need it)"
    ]
    typo = business_from_environ({**REAL, "BUSINESS_TAX_NUMBER": "876543217 RT0001"})
    assert business_problems(typo, live=True, taxed=False) == [
        "a real BUSINESS_TAX_NUMBER (its check digit is wrong)"
    ]
