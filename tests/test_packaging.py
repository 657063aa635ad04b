"""Packaging: one version everywhere, desktop files, the wheel, and the standalone build."""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from annotator import APP_ID, __version__
from annotator.resources import resource_path

REPO = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_one_version_everywhere() -> None:
    assert importlib.metadata.version("annotator") == __version__
    assert f"## {__version__} " in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    meta = ET.parse(resource_path("linux", f"{APP_ID}.metainfo.xml")).getroot()
    releases = [r.get("version") for r in meta.iter("release")]
    assert releases[0] == __version__


def test_desktop_entry_and_metainfo_agree() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(resource_path("linux", f"{APP_ID}.desktop"), encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == "annotator"
    assert desktop["Icon"] == APP_ID
    assert desktop["Categories"].endswith(";")
    meta = ET.parse(resource_path("linux", f"{APP_ID}.metainfo.xml")).getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == f"{APP_ID}.desktop"
    assert meta.findtext("provides/binary") == "annotator"


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_icons_have_the_size_their_folder_names(size: int) -> None:
    png = resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (size, size)


def test_self_test_from_source() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout


@pytest.mark.slow
def test_wheel_carries_resources_and_desktop_integration(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("annotator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = f"annotator-{__version__}.data/data/share"
    for name in (
        "annotator/resources/sample/annotator.json",
        "annotator/resources/schema/project.schema.json",
        "annotator/resources/icons/annotator.svg",
        f"{data}/applications/{APP_ID}.desktop",
        f"{data}/metainfo/{APP_ID}.metainfo.xml",
        f"{data}/icons/hicolor/256x256/apps/{APP_ID}.png",
        f"{data}/icons/hicolor/scalable/apps/{APP_ID}.svg",
    ):
        assert name in names, name
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=600,
    )
    env = {**_env(), "PYTHONPATH": str(target)}
    code = "import annotator.resources as r; print(r.resources_dir())"
    where = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert where.stdout.strip() == str(target / "annotator" / "resources")
    test = subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert test.returncode == 0, test.stdout + test.stderr


@pytest.mark.slow
def test_standalone_build_runs_without_python() -> None:
    build = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py")],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    exe = REPO / "dist" / "annotator" / "annotator"
    env = {k: v for k, v in _env().items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = "/usr/bin:/bin"  # no Python of ours on the path
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env)
    assert version.stdout.strip() == f"annotator {__version__}"
    test = subprocess.run(
        [str(exe), "--self-test"], capture_output=True, text=True, env=env, timeout=120
    )
    assert test.returncode == 0, test.stdout + test.stderr
    # formats and extractors load by name: they must be in the bundle too
    sample = Path(tempfile.mkdtemp()) / "sample"
    shutil.copytree(REPO / "resources" / "sample", sample)
    for args in (
        ["suggest", str(sample), "--extractor", "quotes"],
        ["suggest", str(sample), "--extractor", "propagate", "--fuzzy", "0.85"],
        ["export", str(sample), "-f", "conll", "-o", str(sample.parent / "out.conll")],
        ["export", str(sample), "-f", "brat", "-o", str(sample.parent / "brat")],
        ["export", str(sample), "-f", "text", "-o", str(sample.parent / "articles")],
    ):
        run = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=60)
        assert run.returncode == 0, (args, run.stderr)
    # agreement and adjudication (numpy, krippendorff, scipy through scorch) on the team example
    team = sample.parent / "team"
    shutil.copytree(sample, team)
    shutil.copytree(REPO / "resources" / "team-example" / "annotations", team / "annotations")
    for args in (["agree", str(team), "-f", "json"], ["adjudicate", str(team), "-f", "csv"]):
        run = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=60)
        assert run.returncode == 0, (args, run.stderr)
    scored = subprocess.run(
        [str(exe), "agree", str(team), "-f", "json"], capture_output=True, text=True, env=env
    )
    assert '"lea"' in scored.stdout
    spacy = subprocess.run(
        [str(exe), "export", str(sample), "-f", "spacy", "-o", str(sample.parent / "x.spacy")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert spacy.returncode == 2 and "pip install" in spacy.stderr  # a message, not a crash


def test_the_bundle_lists_every_module_loaded_by_name() -> None:
    """Formats and extractors are imported by name when first used, so PyInstaller does not
    see them: the spec must name each one the registries can load."""
    import re

    from annotator.formats import FORMATS

    spec = (REPO / "packaging" / "annotator.spec").read_text("utf-8")
    formats, extractors = re.findall(r"for m in \(([^)]*)\)", spec)
    listed = set(re.findall(r'"(\w+)"', formats))
    lazy = {
        name
        for name, fmt in FORMATS.items()
        if fmt.write is not None and fmt.write.__name__.startswith(f"{name}.")
    } | {"webpage", "pdf", "articles"}  # the readers of pages and PDFs
    assert lazy and lazy <= listed, lazy - listed
    modules = {p.stem for p in (REPO / "annotator" / "extract").glob("*.py")} - {
        "__init__",
        "sentences",
    }
    assert modules <= set(re.findall(r'"(\w+)"', extractors)), modules
