import pytest
from django.core.exceptions import ValidationError

from seeds.validators import corporate_number_check_digit, is_valid_corporate_number, validate_corporate_number


def test_check_digit_follows_the_nta_formula():
    # 法人番号 of the National Tax Agency's own published example: 7000012050002 (国税庁).
    assert corporate_number_check_digit("000012050002") == 7
    assert is_valid_corporate_number("7000012050002")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("8000012050002", "check_digit"),
        ("700001205000", "wrong_length"),
        ("70000120500021", "wrong_length"),
        ("70000120500O2", "not_digits"),
        ("７０００１２０５０００２", "not_digits"),
        ("", "not_digits"),
    ],
)
def test_invalid_corporate_numbers_are_refused_with_their_reason(value, code):
    with pytest.raises(ValidationError) as raised:
        validate_corporate_number(value)
    assert raised.value.code == code
