"""Shared fixtures: the repository's test files and the `zhclean` program to compare with."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    """The `zhclean` program: $ZHCLEAN_BIN, or the workspace's build (release, else debug),
    built in release if there is none, so that the comparison always runs."""
    named = os.environ.get("ZHCLEAN_BIN")
    if named:
        return str(pathlib.Path(named).resolve())
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "zhclean"
        if path.exists():
            return str(path)
    cargo = shutil.which("cargo")
    assert cargo, "no zhclean program to compare with: build it or set ZHCLEAN_BIN"
    subprocess.run(
        [cargo, "build", "--release", "--locked", "--bin", "zhclean"], cwd=ROOT, check=True
    )
    return str(ROOT / "target" / "release" / "zhclean")


def run_cli(cli: str, args, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([cli, *args], input=stdin, capture_output=True)
