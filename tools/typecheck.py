"""Type-check every shipped module under the name it is imported by.

``checks/``, ``questions/`` and ``reports/`` install as ``wa_audit.checks`` and so on (setuptools
``package-dir``), which mypy cannot follow from the source tree. This script lays out the import
tree as symlinks under ``build/import-tree/`` from pyproject's mapping, runs mypy (strict, the
``[tool.mypy]`` settings) on it, and prints mypy's paths as source paths so editors can jump to them.

Usage: ``python tools/typecheck.py [mypy options]``; exits with mypy's code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "import-tree"


def package_dirs() -> dict[str, Path]:
    """Each package name with the source folder it is installed from."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    remapped = setuptools.get("package-dir", {})
    return {
        name: ROOT / remapped.get(name, name.replace(".", "/")) for name in setuptools["packages"]
    }


def lay_out_tree() -> dict[Path, Path]:
    """Symlink every package's files into the import tree; returns tree file -> source file."""
    shutil.rmtree(TREE, ignore_errors=True)
    sources: dict[Path, Path] = {}
    for name, folder in sorted(package_dirs().items()):
        target = TREE.joinpath(*name.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(folder.glob("*.py*")):
            if source.suffix in {".py", ".pyi"} or source.name == "py.typed":
                (target / source.name).symlink_to(source)
                sources[target / source.name] = source
    return sources


def main(argv: list[str]) -> int:
    sources = lay_out_tree()
    packages = sorted(package_dirs())
    top_level = sorted({name.split(".")[0] for name in packages})
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    command += [*argv, *(str(TREE / name) for name in top_level)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    by_tree_path = {
        str(tree.relative_to(ROOT)): str(src.relative_to(ROOT)) for tree, src in sources.items()
    }
    for line in (result.stdout + result.stderr).splitlines():
        path, sep, rest = line.partition(":")
        print(by_tree_path.get(path, path) + sep + rest)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
