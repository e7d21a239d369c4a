"""Where an instance may read from: its own folder, a `models/` folder beside the folder
that holds it (the project layout), and folders the operator allows with --allow-path."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def real(path: Path) -> Path:
    """`path` with every symbolic link and `..` resolved (the file need not exist)."""
    return Path(os.path.realpath(path))


def allowed_roots(instance: Path, allow: Sequence[Path] = ()) -> list[Path]:
    """The folders an instance's paths may resolve into."""
    folder = real(instance)
    roots = [folder, folder.parent.parent / "models"]
    # an instance folder reached through a link: models/ beside the folder holding the link
    roots.append(real(Path(os.path.abspath(instance)).parent).parent / "models")
    roots.extend(allow)
    return [real(root) for root in roots]  # a models/ folder may itself be a link


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, resolved, lies in one of `roots` (resolved too)."""
    target = real(path)
    return any(target == root or target.is_relative_to(root) for root in roots)
