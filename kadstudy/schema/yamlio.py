"""The one YAML reader for every file a user writes: safe, strict, one line per problem.

* UTF-8 only, as every reader of the project (a leading UTF-8 byte-order mark is dropped): another
  encoding, an invalid byte or binary junk (control characters) is refused with the byte offset,
  never echoing the bytes;
* YAML syntax errors name the line; tags that would construct Python objects are refused (the
  safe loader executes nothing);
* a key given twice in one mapping is refused (YAML would silently keep the last one);
* the document must be a mapping with text keys.
"""

from __future__ import annotations

import re
from codecs import BOM_UTF8
from pathlib import Path
from typing import Any

import yaml

from kadstudy.errors import KadError

# Characters YAML does not allow in a stream (as PyYAML's Reader.NON_PRINTABLE).
NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_BYTES = 20_000_000


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: list[Any] = []
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            twice = key in seen
        except TypeError:  # pragma: no cover - unhashable keys are refused below
            twice = False
        if twice:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one mapping; keep one", key_node.start_mark)
        seen.append(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def decode_utf8(data: bytes, shown: str, error: type[KadError] = KadError) -> str:
    """``data`` as text, read as every reader of the project reads text (:func:`kadstudy.io.decode_text`:
    UTF-8, a leading UTF-8 byte-order mark dropped); another encoding or a control character raises
    ``error`` naming the byte offset (the bytes themselves are never shown)."""
    from kadstudy.io import decode_text

    try:
        text = decode_text(data, shown)
    except KadError as exc:
        raise error(str(exc)) from None
    bad = NON_PRINTABLE.search(text)
    if bad:
        bom = len(BOM_UTF8) if data.startswith(BOM_UTF8) else 0
        offset = bom + len(text[:bad.start()].encode("utf-8"))
        raise error(f"{shown}: byte {offset}: control character U+{ord(bad.group()):04X} (binary "
                    "data?); remove it or save the file as plain UTF-8 text")
    return text


def parse_yaml(text: str, shown: str, error: type[KadError] = KadError) -> Any:
    """Parse checked text with the strict safe loader; any problem is one line naming ``shown``."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else "YAML"
        problem = _one_line(exc.problem or exc.context or "syntax error")
        raise error(f"{shown}: {where}: not valid YAML ({problem}); fix the syntax (tags such as "
                    "!!python/... are refused)") from None
    except yaml.YAMLError as exc:
        raise error(f"{shown}: not valid YAML ({_one_line(exc)}); fix the syntax") from None
    except RecursionError:
        raise error(f"{shown}: not valid YAML (nested too deeply); simplify the file") from None


def read_yaml(path: str | Path, shown: str | None = None, *, error: type[KadError] = KadError,
              keys_hint: str = "keys", what: str = "file") -> dict[str, Any]:
    """Read ``path`` (UTF-8 checked, safe, duplicate keys refused) and return its top-level
    mapping. ``shown`` names the file in messages; ``keys_hint`` says which keys a mapping should
    have; ``error`` is the :class:`KadError` subclass raised."""
    from kadstudy.io import read_bytes

    path = Path(path)
    shown = shown or str(path)
    try:
        data = read_bytes(path, what, shown, limit=MAX_BYTES)
    except KadError as exc:
        raise error(_one_line(exc)) from None
    if len(data) > MAX_BYTES:
        raise error(f"{shown}: larger than {MAX_BYTES // 1_000_000} MB; this is not a hand-written "
                    f"{what}")
    doc = parse_yaml(decode_utf8(data, shown, error), shown, error)
    if not isinstance(doc, dict):
        got = "an empty file" if doc is None else f"a {type(doc).__name__}"
        raise error(f"{shown}: expected a mapping of {keys_hint}, got {got}")
    for key in doc:
        if not isinstance(key, str):
            raise error(f"{shown}: key {key!r}: keys must be text; quote it or rename it")
    return doc
