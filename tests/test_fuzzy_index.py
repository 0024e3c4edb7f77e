"""The bigram index of fuzzy title matching (publisher/reader/fuzzy.py): a query returns
exactly the window's positions that can score above zero, so the fuzzy pass finds the
same best match as scoring every candidate, and 10,000 目录 entries stay fast."""
from __future__ import annotations

import random

from publisher.reader.articles import _score, match_key
from publisher.reader.fuzzy import build_index, grams

from test_reader_fuzz import HAN_SAMPLE


def test_grams_of_a_key():
    assert grams("清廉乡村") == {"清廉", "廉乡", "乡村"}
    assert grams("春") == {"春"}
    assert grams("") == set()


def test_query_finds_a_changed_word_in_its_window_only():
    keys = [match_key(t) for t in ("春天来了", "建设清廉乡村", "秋收", "建设勤廉乡村", "冬藏")]
    index = build_index(keys)
    # 目录 says 清廉, the body says 勤廉 (a replaced word): both share 建设 and 乡村
    assert index.query(match_key("建设清廉乡村"), 0, 5) == [1, 3]
    assert index.query(match_key("建设清廉乡村"), 2, 5) == [3]
    assert index.query(match_key("建设清廉乡村"), 2, 2) == []
    assert index.query(match_key("毫不相干"), 0, 5) == []


def test_a_two_line_title_is_found_by_its_junction():
    # "引题" + "主题" on two lines: the entry key spans both lines' keys
    keys = [match_key("关于进一步"), match_key("做好工作的通知"), match_key("其他")]
    index = build_index(keys, {0: keys[0] + keys[1]})
    assert 0 in index.query(match_key("一步做"), 0, 3)  # shares only the junction bigram 步做
    assert index.query(match_key("一步做"), 1, 3) == []


def test_every_candidate_that_can_score_is_returned():
    """Brute force over random keys: whatever scores above zero is in the query."""
    rng = random.Random(12)
    alphabet = HAN_SAMPLE[:60]  # a small alphabet: many shared bigrams
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    pairs = {o: keys[o] + keys[o + 1] for o in range(0, 299, 3)}
    index = build_index(keys, pairs)
    for _ in range(300):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        lo = rng.randrange(300)
        hi = lo + rng.randint(0, 120)
        got = set(index.query(q, lo, hi))
        for o in range(lo, min(hi, 300)):
            if _score(q, keys[o]) > 0 or (o in pairs and _score(q, pairs[o]) > 0):
                assert o in got, (q, keys[o], pairs.get(o))
        assert all(lo <= o < hi for o in got)
