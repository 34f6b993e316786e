"""``reports/manifest.json``: the committed build record that decides what is up to date.

Per target it holds the code version and the SHA-256 of every input (analysis file, dataset files,
extra inputs of the kind, replication data) and of every output file, as it was when the target was
last built. A target is up to date when the present hashes equal the recorded ones, so a fresh
clone whose committed reports match their inputs needs no rebuild, and an output edited by hand is
noticed. The file is deterministic (sorted keys, paths relative to the project with ``/``, no
times), so a rebuild that produces the same reports gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "reports/manifest.json"
FORMAT = 1
ABOUT = ("kadstudy build record, written by `kadstudy run`: per target the code version and the "
         "sha256 of its inputs and outputs when it was built; `kadstudy status` compares them")


@dataclass(frozen=True)
class Entry:
    """What one target was built from, and what it wrote."""

    code: str
    inputs: dict[str, str]
    outputs: dict[str, str]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "inputs": dict(sorted(self.inputs.items())),
                "outputs": dict(sorted(self.outputs.items()))}


@dataclass
class Manifest:
    """The entries of every target built, and why the file could not be read (if so)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problem: str = ""

    def text(self) -> str:
        body = {"about": ABOUT, "format": FORMAT,
                "targets": {name: self.entries[name].to_json() for name in sorted(self.entries)}}
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def rel(root: Path, path: Path) -> str:
    """``path`` relative to the project root, with ``/`` (``../`` for a file beside the project).
    Symbolic links are not followed, so the text does not depend on how a machine links folders."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()


def sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def hash_files(root: Path, paths: list[Path]) -> dict[str, str | None]:
    """Relative path -> hash (None for a missing file)."""
    return {rel(root, p): sha256(p) for p in paths}


def hash_outputs(root: Path, outputs: list[Path]) -> dict[str, str]:
    """Every file among ``outputs`` (files, or folders taken whole), relative path -> hash."""
    found: dict[str, str] = {}
    for out in outputs:
        files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else [out]
        for path in files:
            digest = sha256(path)
            if digest is not None:
                found[rel(root, path)] = digest
    return found


def read(root: Path) -> Manifest:
    """The manifest of the project at ``root``; a missing file is an empty record, an unreadable one
    an empty record with ``problem`` set (every target is then stale, and rebuilt)."""
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Manifest(problem=f"{MANIFEST} is unreadable ({str(exc).splitlines()[0]})")
    try:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        entries = {str(name): Entry(code=str(e["code"]), inputs=_strings(e["inputs"]),
                                    outputs=_strings(e["outputs"]))
                   for name, e in data["targets"].items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return Manifest(problem=f"{MANIFEST} is not a kadstudy build record ({exc})")
    return Manifest(entries)


def _strings(mapping: object) -> dict[str, str]:
    if not isinstance(mapping, dict):
        raise TypeError("expected a mapping of paths to hashes")
    return {str(k): str(v) for k, v in mapping.items()}


def write(root: Path, manifest: Manifest) -> None:
    """Write the manifest (atomically; only when its bytes change)."""
    from kadstudy.io import atomic_write_text

    path = root / MANIFEST
    text = manifest.text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text)


def stale_reasons(entry: Entry | None, code: str, inputs: dict[str, str | None],
                  outputs: dict[str, str], main_output: str, optional: frozenset[str] = frozenset(),
                  problem: str = "") -> list[str]:
    """Why a target is stale (empty: up to date), in a fixed order.

    ``inputs``: the present hashes (None: the file is missing); ``optional`` inputs that are missing
    here (replication data kept outside the project) are not held against the target.
    ``outputs``: the present output files; ``main_output``: the file without which the report is
    missing.
    """
    if main_output not in outputs:
        return ["its report is missing"]
    if entry is None:
        return [problem or f"never built here: no entry in {MANIFEST}"]
    reasons = []
    present = {k: v for k, v in inputs.items() if not (v is None and k in optional)}
    kept = {k: v for k, v in entry.inputs.items() if k not in inputs or k in present}
    missing = sorted(k for k, v in present.items() if v is None)
    changed = sorted(k for k, v in present.items() if v is not None and k in kept and kept[k] != v)
    added = sorted(k for k, v in present.items() if v is not None and k not in kept)
    dropped = sorted(k for k in kept if k not in present)
    for label, paths in (("changed", changed), ("new input", added), ("input no longer used", dropped),
                         ("input missing", missing)):
        if paths:
            reasons.append(f"{label}: {', '.join(paths)}")
    if entry.code != code:
        reasons.append("the code changed (kadstudy version or source)")
    edited = sorted(k for k, v in outputs.items() if k in entry.outputs and entry.outputs[k] != v)
    extra = sorted(k for k in outputs if k not in entry.outputs)
    gone = sorted(k for k in entry.outputs if k not in outputs)
    for label, paths in (("edited after its build", edited), ("added after its build", extra),
                         ("removed after its build", gone)):
        if paths:
            reasons.append(f"{label}: {_few(paths)}")
    return reasons


def _few(paths: list[str], limit: int = 3) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def updated_entry(old: Entry | None, code: str, inputs: dict[str, str | None],
                  outputs: dict[str, str], optional: frozenset[str] = frozenset()) -> Entry:
    """The record after a build: present inputs, and for optional inputs missing here the hash
    recorded before (the outputs made from them were kept)."""
    recorded = {k: v for k, v in inputs.items() if v is not None}
    if old is not None:
        recorded |= {k: v for k, v in old.inputs.items()
                     if k in optional and k in inputs and k not in recorded}
    return Entry(code=code, inputs=recorded, outputs=outputs)
