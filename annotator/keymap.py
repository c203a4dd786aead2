"""The user's key remapping: a TOML file of binding ids and keys, read for Textual's `App.set_keymap`.

The file is `$XDG_CONFIG_HOME/annotator/keymap.toml` (`~/.config/annotator/keymap.toml` when XDG_CONFIG_HOME
is unset), or the file `$ANNOTATOR_KEYMAP` names. Each line gives a binding id (help's third column, e.g.
`remove`, `find`, `tag.actor`) its keys, replacing the default ones; several keys are a list or a
comma-separated string. Dotted ids may be written bare (`tag.actor = "z"`) or quoted (`"tag.actor" = "z"`).

    remove = "d"
    undo = ["u", "ctrl+z"]
    tag.date = "t"
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Collection, Mapping
from pathlib import Path

from annotator.errors import BadInput

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, under its package name
    import tomli as tomllib

KEYMAP_ENV = "ANNOTATOR_KEYMAP"
# A Textual key name (ctrl+shift+left, f5, question_mark) or one printable character (?, ش).
_KEY = re.compile(r"^(?:[a-z0-9_]+(?:\+[a-z0-9_]+)*|[^\s,])$", re.IGNORECASE)


class KeymapError(BadInput):
    """A keymap file that cannot be used: one line naming the file and the key at fault."""


def keymap_path(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The keymap file and whether it was named explicitly ($ANNOTATOR_KEYMAP): a named file must exist."""
    env = os.environ if environ is None else environ
    if env.get(KEYMAP_ENV):
        return Path(env[KEYMAP_ENV]), True
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "annotator" / "keymap.toml", False


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """`{"tag": {"actor": "z"}}` → `{"tag.actor": "z"}`: TOML reads a bare dotted id as nested tables."""
    flat: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def parse_keymap(text: str, source: str = "keymap") -> dict[str, str]:
    """binding id → comma-separated keys, as `App.set_keymap` takes; KeymapError naming the id at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{source}: not valid TOML: {exc}") from None
    keymap: dict[str, str] = {}
    for binding_id, value in _flatten(data).items():
        keys = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else None
        if not keys or not all(isinstance(key, str) for key in keys):
            raise KeymapError(f'{source}: {binding_id}: give a key or a list of keys, e.g. {binding_id} = "d"')
        keys = [key.strip() for key in keys]
        bad = next((key for key in keys if not _KEY.match(key)), None)
        if bad is not None:
            raise KeymapError(
                f"{source}: {binding_id}: {bad!r} is not a key (a character, or a name such as ctrl+k, f5, question_mark)"
            )
        keymap[binding_id] = ",".join(keys)
    return keymap


def check_ids(keymap: Mapping[str, str], known: Collection[str], source: str = "keymap") -> None:
    """KeymapError naming the first binding id no screen has (a typo would otherwise change nothing, silently)."""
    unknown = [binding_id for binding_id in keymap if binding_id not in known]
    if unknown:
        raise KeymapError(f"{source}: {unknown[0]}: no key has this id (ids: {', '.join(sorted(known))})")


def read_keymap(environ: Mapping[str, str] | None = None) -> tuple[dict[str, str], str]:
    """The user's keymap and the file it came from ({} when the default file is absent)."""
    path, named = keymap_path(environ)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named:
            raise KeymapError(f"{path}: no such keymap file (${KEYMAP_ENV})") from None
        return {}, str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{path}: cannot be read ({exc})") from None
    return parse_keymap(text, str(path)), str(path)
