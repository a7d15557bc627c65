"""The GitHub workflows: the trusted gate runs nothing of a pull request, and the pull request's own
workflow runs the check, the tests and the fuzzing, as .ci/run does."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from roots import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def _load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return loaded


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_trusted_gate_runs_on_the_base_branchs_own_file_with_a_read_only_token() -> None:
    flow = _load("trusted-check.yml")
    assert flow["on"] == {"pull_request_target": None}
    assert flow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in flow["jobs"].values())


def test_the_trusted_gate_installs_the_base_and_reads_the_pull_request_as_data_only() -> None:
    steps = _steps(_load("trusted-check.yml"))
    checkouts = {s["with"]["path"]: s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@")}
    assert checkouts["base"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkouts["pr"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert all(c["persist-credentials"] is False for c in checkouts.values())
    # No action but checkout and setup-python: an action could be given the pull request's files.
    assert {s["uses"].split("@")[0] for s in steps if "uses" in s} == {"actions/checkout", "actions/setup-python"}
    commands = [line.strip() for s in steps if "run" in s for line in s["run"].splitlines() if line.strip()]
    installs = [c for c in commands if "pip install" in c]
    assert installs == ["python -m venv venv && venv/bin/pip install -q ./base"]
    for command in commands:
        # The pull request's checkout appears only as the root a command of the base's venv reads.
        for mention in re.finditer(r"(?<![\w/.-])pr(?![\w-])", command):
            assert command[: mention.start()].endswith("--root "), command
            assert command.startswith("venv/bin/claims check "), command
    assert any("--changed-since" in c for c in commands)


@pytest.mark.parametrize(
    "command",
    [
        ".venv/bin/pytest",
        "benchmarks/fuzz_cells.py --seconds 60",
        "claims check --format github",
        "frictionless validate",
    ],
)
def test_the_pull_requests_workflow_runs_what_ci_runs(command: str) -> None:
    runs = "\n".join(s.get("run", "") for s in _steps(_load("validate.yml")))
    assert command in runs
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert command.split(" --format")[0].replace(".venv/bin/", "") in ci
