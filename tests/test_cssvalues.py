import pytest
import tinycss2

from publisher.cssvalues import font_weight


@pytest.mark.parametrize(
    "value,parent,expected",
    [("bold", 400, 700), ("normal", 700, 400), ("600", 400, 600), ("inherit", 300, 300), ("italic", 400, None),
     # CSS Fonts 4 §2.2 table for bolder/lighter
     ("bolder", 300, 400), ("bolder", 400, 700), ("bolder", 700, 900), ("lighter", 400, 100), ("lighter", 600, 400),
     ("lighter", 800, 700)],
)
def test_font_weight(value, parent, expected):
    assert font_weight(tinycss2.parse_component_value_list(value), parent) == expected
