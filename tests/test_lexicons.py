"""The claim lexicons: the shipped files load, and a broken one is a one-line file:line error."""

from __future__ import annotations

import pytest

from cakg.errors import InputError
from cakg.graph.claims import LEXICONS, check_lexicons

WHERE = "graph/data/lexicons"


def test_shipped_lexicons_load() -> None:
    check_lexicons()


CERTAINTY = """\
cues:
  low:
    - 'may'
  medium:
    - 'probably'
  high:
    - 'of course'
"""


C = "certainty.yaml"
edit = CERTAINTY.replace
# (id, file, its text, line of the error, words of the message)
BROKEN = [
    ("invalid-regex", C, edit("'probably'", "'probab(ly'"), 5, "invalid pattern 'probab(ly'"),
    ("unknown-label", C, edit("high:", "very high:"), 6, "'very high' is not a certainty"),
    ("unknown-section", C, CERTAINTY + "extra: x\n", 8, "unknown section 'extra'"),
    ("missing-label", C, edit("  high:\n    - 'of course'\n", ""), 2, "no entry for the"),
    ("not-a-string", C, edit("- 'may'", "- [may]"), 3, "an entry of 'low' must be a"),
    ("yaml-syntax", C, edit("    - 'probably'", "\t- 'probably'"), 5, "invalid YAML"),
    ("unknown-topic", "topic.yaml", "keywords:\n  war: ['war']\n", 2, "'war' is not a topic"),
    ("unknown-fragment", "type.yaml", "cues:\n  prediction: ['{modal} +']\n", 2, "{modal}"),
    ("not-words", "split.yaml", "abbreviations: 12\n", 1, "must be a non-empty string"),
    ("not-a-mapping", "trend.yaml", "- a\n- b\n", 1, "expected a mapping"),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"), [pytest.param(*b[1:], id=b[0]) for b in BROKEN]
)
def test_broken_lexicon_is_a_one_line_error(name: str, text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as info:
        LEXICONS[name](text)
    err = str(info.value)
    assert "\n" not in err
    assert err.startswith(f"{WHERE}/{name}:{line}: "), err
    assert message in err, err
