"""Where a path named in a user's file may point: inside the project folder, or inside a named
data root.

A spec names files relative to the project root (``survey_sets: {responses: ...}``) or, for the
QCA benchmark data of replication specs, relative to a data root. After resolving symlinks the
file must lie inside the project folder or inside one of :data:`DATA_ROOTS` (folders beside the
checkout that the project reads but does not ship). Absolute paths are refused: they would not
work on another machine.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

# Named data roots, relative to the project root. ``qca-benchmarks`` holds the published QCA data
# sets (R package QCA, Ragin 2008) that the replication specs rebuild tables from; it is the
# default data root of ``kadstudy reproduce``.
DATA_ROOTS: dict[str, str] = {"qca-benchmarks": "../shared/qca-benchmarks"}


def allowed_roots(root: Path) -> list[Path]:
    """The folders a spec may point into: the project and every named data root (resolved)."""
    return [root.resolve(), *((root / rel).resolve() for rel in DATA_ROOTS.values())]


def _absolute(text: str) -> bool:
    return PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or text.startswith("~")


def path_problem(text: object, base: Path, allowed: list[Path]) -> str | None:
    """Why ``text`` (relative to ``base``) is not an acceptable path, or ``None``."""
    if not isinstance(text, str) or not text.strip():
        return "expected a file path relative to the project root"
    if "\x00" in text:
        return "a path cannot contain a NUL character"
    if _absolute(text):
        return f"'{text}' is an absolute path; write a path relative to the project root"
    try:
        resolved = (base / text).resolve()
    except (OSError, RuntimeError, ValueError):
        return f"'{text}' cannot be resolved (a symlink loop?); fix the path"
    if not any(resolved.is_relative_to(folder) for folder in allowed):
        return (f"'{text}' points outside the project folder; keep the file inside it or inside a "
                f"data root ({_roots()})")
    return None


def _roots() -> str:
    return ", ".join(f"{name}: {rel}" for name, rel in DATA_ROOTS.items())


def within(path: Path, folder: Path) -> bool:
    """Whether ``path`` resolves (after symlinks) inside ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        return False
