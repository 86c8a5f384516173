"""Each NIK rule, with real Kota Malang district codes (35.73.01–05)."""

import datetime

import pytest

from mpp.accounts import nik as rules
from mpp.accounts.nik import check_nik, mask_nik, parse_nik

TODAY = datetime.date(2025, 6, 1)
# Blimbing, Kota Malang; man born 17 August 1990; serial 0001.
MAN = "3573011708900001"
# Lowokwaru, Kota Malang; woman born 5 March 2001 (day 05 + 40 = 45).
WOMAN = "3573054503010002"


def codes(nik: str, **kwargs) -> list[str]:
    return [p.code for p in check_nik(nik, today=TODAY, **kwargs)]


@pytest.mark.parametrize("district", ["01", "02", "03", "04", "05"])
def test_it_accepts_every_kota_malang_district(district):
    assert codes(f"3573{district}1708900001") == []


def test_it_accepts_a_matching_man_and_woman():
    assert codes(MAN, birth_date=datetime.date(1990, 8, 17), sex="M") == []
    assert codes(WOMAN, birth_date=datetime.date(2001, 3, 5), sex="F") == []


def test_it_reads_the_parts_of_a_female_nik():
    parsed = parse_nik(WOMAN, today=TODAY)
    assert parsed.region_code == "35.73.05"
    assert parsed.sex == "F"
    assert parsed.birth_date == datetime.date(2001, 3, 5)
    assert parsed.serial == "0002"


def test_it_accepts_spaces_and_dots_between_groups():
    assert codes("35.73.01 170890 0001") == []


@pytest.mark.parametrize(
    "nik",
    [
        "",
        "357301170890001",
        "35730117089000011",
        "357301170890000A",
        "３５７３０１１７０８９０００１",
    ],
)
def test_it_refuses_anything_but_sixteen_digits(nik):
    assert codes(nik) == [rules.FORMAT]


def test_format_problem_has_its_own_message():
    [problem] = check_nik("123", today=TODAY)
    assert "16 angka" in str(problem.message)


def test_it_refuses_a_district_missing_from_the_kemendagri_list():
    # Kota Malang has five districts: 35.73.06 does not exist; 35.99 is no regency.
    assert codes("3573061708900001") == [rules.REGION]
    assert codes("3599011708900001") == [rules.REGION]
    assert "Kemendagri" in str(check_nik("3573061708900001", today=TODAY)[0].message)


def test_it_refuses_a_regency_code_without_district():
    # "35.73.00" is not a district even though 35.73 exists.
    assert codes("3573001708900001") == [rules.REGION]


@pytest.mark.parametrize(
    "date_part",
    [
        "320190",  # day 32
        "000190",  # day 0
        "401090",  # 40: neither a man's nor a woman's day
        "720190",  # 72: woman's day 32
        "171390",  # month 13
        "300290",  # 30 February
        "690290",  # woman's 29 February in a common year (1990)
    ],
)
def test_it_refuses_a_date_part_that_is_not_a_real_date(date_part):
    assert codes(f"357301{date_part}0001") == [rules.DATE_INVALID]


def test_a_womans_29_february_in_a_leap_year_is_a_real_date():
    assert codes("3573026902000001") == []  # 29 February 2000


def test_two_digit_year_takes_the_century_that_is_not_in_the_future():
    assert parse_nik("3573010106250001", today=TODAY).birth_date == datetime.date(2025, 6, 1)
    # 2 June 2025 is tomorrow: read as 1925, not refused.
    assert parse_nik("3573010206250001", today=TODAY).birth_date == datetime.date(1925, 6, 2)


def test_entered_birth_date_chooses_the_century():
    parsed = parse_nik("3573010101200001", birth_date=datetime.date(1920, 1, 1), today=TODAY)
    assert parsed.birth_date == datetime.date(1920, 1, 1)
    assert codes("3573010101200001", birth_date=datetime.date(1920, 1, 1)) == []


def test_it_refuses_a_nik_date_in_the_future():
    tomorrow = datetime.date(2025, 6, 2)
    assert rules.DATE_FUTURE in codes("3573010206250001", birth_date=tomorrow)


def test_it_refuses_serial_0000():
    assert codes("3573011708900000") == [rules.SERIAL]
    assert "0000" in str(check_nik("3573011708900000", today=TODAY)[0].message)


def test_it_refuses_a_birth_date_that_differs_from_the_nik():
    assert codes(MAN, birth_date=datetime.date(1990, 8, 18), sex="M") == [rules.BIRTH_DATE_MISMATCH]
    assert codes(MAN, birth_date=datetime.date(1991, 8, 17), sex="M") == [rules.BIRTH_DATE_MISMATCH]


def test_it_refuses_a_sex_that_differs_from_the_nik():
    assert codes(MAN, birth_date=datetime.date(1990, 8, 17), sex="F") == [rules.SEX_MISMATCH]
    assert codes(WOMAN, birth_date=datetime.date(2001, 3, 5), sex="M") == [rules.SEX_MISMATCH]


def test_a_woman_who_typed_the_day_without_40_gets_both_mismatch_messages_apart():
    problems = check_nik(MAN, birth_date=datetime.date(1990, 8, 17), sex="F", today=TODAY)
    assert len({str(p.message) for p in problems}) == len(problems) == 1
    problems = check_nik(WOMAN, birth_date=datetime.date(2001, 3, 6), sex="M", today=TODAY)
    assert [p.code for p in problems] == [rules.BIRTH_DATE_MISMATCH, rules.SEX_MISMATCH]
    assert str(problems[0].message) != str(problems[1].message)


def test_every_rule_has_its_own_message():
    assert len({str(m) for m in rules.MESSAGES.values()}) == len(rules.MESSAGES)


def test_several_broken_rules_are_all_reported():
    assert codes("3573063202900000") == [rules.REGION, rules.DATE_INVALID, rules.SERIAL]


def test_mask_nik_keeps_region_and_serial_only():
    assert mask_nik(MAN) == "3573••••••••0001"
    assert mask_nik("123") == "•" * 16
