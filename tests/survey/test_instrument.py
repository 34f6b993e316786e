"""The shipped instrument: structure, the operationalisation statement, and every cited passage."""

from __future__ import annotations

import copy

import pytest
import yaml

from kadstudy.data.validate import normalize
from kadstudy.errors import DataError
from kadstudy.survey import parse_instrument
from kadstudy.survey import synthetic as syn
from tests.conftest import require_shared
from tests.survey.conftest import INSTRUMENT


def test_structure(instrument):
    assert list(instrument.scales) == ["trust", "reciprocity", "network", "commitment", "benefit"]
    assert instrument.composites["soccap"].scales == ("trust", "reciprocity", "network")
    assert [instrument.set_name(s) for s in instrument.score_names] == [
        "TRUST", "RECIP", "NETWORK", "COMMIT", "BENEFIT", "SOCCAP"]
    assert "THIS PROJECT'S OPERATIONALISATION" in instrument.operationalisation
    for scale in instrument.scales.values():
        assert any(instrument.items[i].reverse for i in scale.items), scale.id
        assert len(scale.items) >= 4
    for item in instrument.items.values():
        assert item.text_id and item.text_en and item.grounding
        assert (item.response.min, item.response.max) == (1, 5)
    syn.check_model(instrument)          # the synthetic model plants every item


def test_every_quote_is_in_its_lines():
    """Each grounding quote occurs in the cited lines of the seed text (whitespace and case
    ignored, as `kadstudy data validate` checks codings)."""
    seeds = require_shared("seeds")
    doc = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    texts = {}
    for sid, src in doc["sources"].items():
        (path,) = seeds.glob(f"{src['file_prefix']}*")
        texts[sid] = path.read_text(encoding="utf-8").split("\n")
    groundings = []
    for scale in doc["scales"]:
        groundings += [(scale["id"], g) for g in scale["grounding"]]
        for item in scale["items"]:
            groundings += [(item["id"], g) for g in item["grounding"]]
    for comp in doc["composites"]:
        groundings += [(comp["id"], g) for g in comp["grounding"]]
    assert len(groundings) > 30
    for owner, g in groundings:
        first, _, last = g["lines"].partition("-")
        lines = texts[g["source"]][int(first) - 1:int(last or first)]
        assert g["quote"], owner
        assert normalize(g["quote"]) in normalize(" ".join(lines)), (owner, g)


def broken(edit) -> list[str]:
    doc = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    edit(doc)
    with pytest.raises(DataError) as info:
        parse_instrument(doc, "instrument.yaml")
    return str(info.value).splitlines()


def test_problems_one_line_each():
    def edit(doc):
        doc["scales"][0]["items"][1]["id"] = "trust_1"                        # duplicate item
        doc["scales"][1]["items"][0]["grounding"][0]["source"] = "seed009"    # unknown source
        doc["scales"][2]["items"][0]["grounding"][0]["lines"] = "9-3"         # bad range
        doc["calibration"]["anchors"] = [4, 3, 3.5]                           # not ordered
    lines = broken(edit)
    assert lines == [
        "instrument.yaml, field 'scales.trust.items[2]': duplicate item 'trust_1' (also in scale 'trust'); "
        "give each item its own id",
        "instrument.yaml, field 'items.recip_1.grounding[1].source': unknown source 'seed009'; did you mean "
        "'seed004'?",
        "instrument.yaml, field 'items.net_1.grounding[1].lines': '9-3' is not a line range; write N or N-M "
        "with N <= M, from 1",
        "instrument.yaml, field 'calibration.anchors': anchors [4, 3, 3.5] are not three ordered numbers; "
        "write [exclusion, crossover, inclusion], e.g. [2.0, 3.0, 4.0]",
    ]


def test_set_names_must_be_distinct():
    def edit(doc):
        doc["composites"][0]["set"] = "TRUST"
    (line,) = broken(edit)
    assert line == ("instrument.yaml, field 'composites.soccap.set': set name 'TRUST' is also used by "
                    "'trust'; give each score its own set")
