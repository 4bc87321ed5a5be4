"""Batch build: incremental, parallel, crash-safe, locked, and the same on every executor.

Every test builds in its own temporary workspace (a copy of ``scenarios/*.yaml``
plus a ``scenario.toml``). Most use Markdown and HTML only, which render in this
process in well under a second; the tests about PDFs and worker processes use
``formats = ["pdf"]`` and ``templates = ["brief"]`` (three PDFs).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.batch import BuildResult, build
from generator.errors import BuildLockedError
from generator.workspace import builtin_templates, load_settings

pytestmark = pytest.mark.slow  # builds whole workspaces (seconds each)

SCENARIOS = Path(__file__).parent.parent / "scenarios"
TEXT = 'formats = ["md", "html"]\n'
PDF = 'formats = ["pdf"]\ntemplates = ["brief"]\n'


# --------------------------------------------------------------------------- helpers


def scenario_ids() -> dict[str, str]:
    """The example scenarios: file name -> id."""
    ids = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        found = re.search(r"^id: (\S+)$", path.read_text(encoding="utf-8"), re.M)
        assert found, path
        ids[path.name] = found[1]
    return ids


def workspace(root: Path, toml: str = TEXT, *, pin_templates: bool = False) -> Path:
    """A workspace at ``root`` with the example scenarios and ``scenario.toml``.

    ``pin_templates`` copies the built-in templates into the workspace's own
    ``templates/`` (which take precedence), so that builds compared byte for
    byte at different moments of a test run use the same templates even if
    the built-in ones are edited meanwhile.
    """
    (root / "scenarios").mkdir(parents=True)
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, root / "scenarios" / path.name)
    (root / "scenario.toml").write_text(toml, encoding="utf-8")
    if pin_templates:
        (root / "templates").mkdir()
        for path in builtin_templates().iterdir():
            if path.suffix in (".j2", ".css"):
                shutil.copy(path, root / "templates" / path.name)
    return root


def run_build(root: Path, **options: object) -> BuildResult:
    return build(settings=load_settings(root), **options)  # type: ignore[arg-type]


def cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``scenario build ARGS`` in ``root``, as a separate process."""
    return subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of the output folder (but the lock and temporary files), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".lock" and not p.name.endswith(".tmp")
    }


def documents(out: Path) -> set[str]:
    """The rendered documents only (no manifest, no index, no chart beside a document)."""
    return {rel for rel in outputs(out) if "/" in rel and "/charts/" not in rel}


def stats(out: Path) -> dict[str, tuple[int, int]]:
    return {
        rel: ((out / rel).stat().st_mtime_ns, (out / rel).stat().st_ino) for rel in outputs(out)
    }


def expected_documents(formats: tuple[str, ...], templates: tuple[str, ...]) -> set[str]:
    return {f"{sid}/{t}.{f}" for sid in scenario_ids().values() for t in templates for f in formats}


def rels(out: Path, targets: list[str]) -> set[str]:
    return {Path(t).relative_to(out).as_posix() for t in targets}


def assert_complete_pdf(path: Path) -> None:
    import pypdf

    data = path.read_bytes()
    assert data.startswith(b"%PDF"), path
    assert data.rstrip().endswith(b"%%EOF"), path
    assert len(pypdf.PdfReader(path).pages) >= 1, path


# --------------------------------------------------------------------------- PDFs and workers


@pytest.fixture(scope="module")
def pdf_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the three brief PDFs (and manifest, index) built serially, in process."""
    root = workspace(tmp_path_factory.mktemp("reference"), PDF, pin_templates=True)
    result = run_build(root, jobs=1)
    assert result.ok, result.as_dict()
    assert rels(root / "output", result.built) == expected_documents(("pdf",), ("brief",))
    return root


def like_reference(tmp_path: Path, reference: Path) -> Path:
    """A PDF workspace with the same (pinned) templates as the reference."""
    root = workspace(tmp_path, PDF)
    shutil.copytree(reference / "templates", root / "templates")
    return root


@pytest.mark.slow
def test_parallel_and_serial_builds_give_identical_outputs(
    tmp_path: Path, pdf_reference: Path
) -> None:
    reference = outputs(pdf_reference / "output")
    root = like_reference(tmp_path, pdf_reference)
    run = cli(root, "-j", "2", "-q")
    assert run.returncode == 0, run.stderr
    parallel = outputs(root / "output")
    assert sorted(parallel) == sorted(reference)
    for rel, data in reference.items():
        assert parallel[rel] == data, f"{rel} differs between -j 2 and -j 1"
    for rel in documents(root / "output"):
        assert_complete_pdf(root / "output" / rel)


@pytest.mark.slow
def test_dask_executor_builds_the_same_outputs_as_the_local_one(
    tmp_path: Path, pdf_reference: Path
) -> None:
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    root = like_reference(tmp_path, pdf_reference)
    with LocalCluster(
        n_workers=1,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        scheduler_port=0,
    ) as cluster:
        result = run_build(root, executor="dask", scheduler=cluster.scheduler_address)
    assert result.ok, result.as_dict()
    assert rels(root / "output", result.built) == expected_documents(("pdf",), ("brief",))
    assert outputs(root / "output") == outputs(pdf_reference / "output")


@pytest.mark.slow
def test_killed_build_leaves_only_complete_files_and_a_second_build_finishes(
    tmp_path: Path,
) -> None:
    root = tmp_path
    (root / "scenarios").mkdir()
    (root / "scenario.toml").write_text(PDF, encoding="utf-8")
    ids = []
    for copy in range(2):  # six scenarios, each id unique
        for path in sorted(SCENARIOS.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            sid = re.search(r"^id: (\S+)$", text, re.M)[1]  # type: ignore[index]
            new_id = f"{sid}-copy{copy}"
            ids.append(new_id)
            text = re.sub(r"^id: \S+$", f"id: {new_id}", text, count=1, flags=re.M)
            (root / "scenarios" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    out = root / "output"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "build", "-j", "2"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not list(out.rglob("*.pdf")):
            assert proc.poll() is None, "the build ended before any output appeared"
            assert time.monotonic() < deadline, "no output appeared in time"
            time.sleep(0.02)
    finally:
        # The whole group: the CLI, the forkserver and its PDF workers.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    time.sleep(0.2)  # let the killed processes' files settle

    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert_complete_pdf(pdf)
    finals = {f"{sid}/brief.pdf" for sid in ids}
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in finals:
            # Only temporary files, hidden, beside their target, or the build's own files.
            assert (path.name.startswith(".") and path.name.endswith(".tmp")) or rel in {
                ".lock",
                "manifest.json",
                "index.md",
                "index.html",
            }, rel

    run = cli(root, "-j", "2")
    assert run.returncode == 0, run.stderr
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")} == finals
    for sid in ids:
        assert_complete_pdf(out / sid / "brief.pdf")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == finals
    assert list(out.rglob("*.tmp")) == []  # the second build cleared the leftovers


# --------------------------------------------------------------------------- incremental


def test_unchanged_inputs_are_skipped_and_not_rewritten(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    first = run_build(root)
    assert first.ok, first.as_dict()
    assert rels(out, first.built) == expected_documents(("md", "html"), ("brief", "report"))
    before = stats(out)
    manifest = (out / "manifest.json").read_bytes()

    second = run_build(root)
    assert second.ok
    assert second.built == []
    assert sorted(second.skipped) == sorted(first.built)
    assert second.failed == second.removed == []
    assert stats(out) == before  # same mtime and inode: nothing rewritten, manifest included
    assert (out / "manifest.json").read_bytes() == manifest


def test_force_rebuilds_everything(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    first = run_build(root)
    before = outputs(out)
    inodes = {rel: (out / rel).stat().st_ino for rel in documents(out)}

    forced = run_build(root, force=True)
    assert forced.ok
    assert forced.skipped == []
    assert sorted(forced.built) == sorted(first.built)
    assert outputs(out) == before  # rebuilt, and the same bytes
    # Rewritten atomically: each document is a new file.
    assert all((out / rel).stat().st_ino != ino for rel, ino in inodes.items())


@pytest.mark.parametrize(
    "override",
    [
        pytest.param("copy", id="changed-copy"),
        pytest.param('{% extends "builtin/brief.md.j2" %}\n', id="extends-builtin"),
    ],
)
def test_template_change_rebuilds_its_dependants_only(tmp_path: Path, override: str) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    before = stats(out)

    (root / "templates").mkdir()
    if override == "copy":
        text = (builtin_templates() / "brief.md.j2").read_text(encoding="utf-8")
        text = text.replace("# {{ s.title }}", "# Workspace brief: {{ s.title }}", 1)
        assert "Workspace brief" in text
    else:
        text = override
    (root / "templates" / "brief.md.j2").write_text(text, encoding="utf-8")

    result = run_build(root)
    assert result.ok, result.as_dict()
    brief_md = expected_documents(("md",), ("brief",))
    assert rels(out, result.built) == brief_md
    assert rels(out, result.skipped) == expected_documents(("md", "html"), ("brief", "report")) - (
        brief_md
    )
    after = stats(out)
    for rel in documents(out) - brief_md:  # report.*, brief.html: untouched
        assert after[rel] == before[rel], rel
    if override == "copy":
        for rel in brief_md:
            assert "# Workspace brief: " in (out / rel).read_text(encoding="utf-8")


def test_shared_template_change_rebuilds_every_user(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    (root / "templates").mkdir()
    macros = (builtin_templates() / "_macros.md.j2").read_text(encoding="utf-8")
    (root / "templates" / "_macros.md.j2").write_text(
        macros + "{# workspace override #}\n", encoding="utf-8"
    )

    result = run_build(root)
    assert result.ok, result.as_dict()
    assert rels(out, result.built) == expected_documents(("md",), ("brief", "report"))
    assert rels(out, result.skipped) == expected_documents(("html",), ("brief", "report"))


def test_removed_scenario_outputs_are_deleted(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    gone = scenario_ids()["fli-pause-letter-2023.yaml"]
    assert (out / gone).is_dir()

    (root / "scenarios" / "fli-pause-letter-2023.yaml").unlink()
    result = run_build(root)
    assert result.ok
    assert result.built == []
    charts = {f"{gone}/charts/{t}-indicator-swe-bench.svg" for t in ("brief", "report")}
    charts.add(f"{gone}/charts/report-forecast-cumulative.svg")
    assert (
        rels(out, result.removed)
        == {f"{gone}/{t}.{f}" for t in ("brief", "report") for f in ("md", "html")} | charts
    )  # the Markdown documents' charts go with them
    assert not (out / gone).exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [rel for rel in manifest["outputs"] if rel.startswith(f"{gone}/")]
    assert f"`{gone}`" not in (out / "index.md").read_text(encoding="utf-8")
    assert documents(out) == expected_documents(("md", "html"), ("brief", "report")) - {
        f"{gone}/{t}.{f}" for t in ("brief", "report") for f in ("md", "html")
    }


def test_outputs_of_a_changed_id_are_deleted(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    file = root / "scenarios" / "coordinated-pause.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "\nid: coordinated-pause\n", "\nid: coordinated-pause-v2\n"
        ),
        encoding="utf-8",
    )
    result = run_build(root)
    assert result.ok
    assert (out / "coordinated-pause-v2" / "brief.md").is_file()
    assert not (out / "coordinated-pause").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [rel for rel in manifest["outputs"] if rel.startswith("coordinated-pause/")]


def test_renamed_scenario_outputs_survive_a_partial_build(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    sid = scenario_ids()["fli-pause-letter-2023.yaml"]
    (root / "scenarios" / "fli-pause-letter-2023.yaml").rename(root / "scenarios" / "fli.yaml")

    renamed = run_build(root)
    assert renamed.ok and renamed.removed == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    # Build only another scenario: the renamed one's outputs must stay.
    partial = build([root / "scenarios" / "coordinated-pause.yaml"], settings=load_settings(root))
    assert partial.ok
    assert partial.removed == []
    assert (out / sid / "brief.md").is_file()
    # The cause: the manifest still names the file as it was before the rename.
    assert manifest["outputs"][f"{sid}/brief.md"]["scenario"] == "scenarios/fli.yaml"


# --------------------------------------------------------------------------- failures


def broken_scenario(root: Path) -> tuple[Path, int]:
    """A copy of an example with a new id and an invalid status; its path and that line."""
    text = (SCENARIOS / "coordinated-pause.yaml").read_text(encoding="utf-8")
    text = text.replace("\nid: coordinated-pause\n", "\nid: broken-copy\n", 1)
    text = text.replace("\nstatus: final\n", "\nstatus: nonsense\n", 1)
    line = text.splitlines().index("status: nonsense") + 1
    path = root / "scenarios" / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path, line


def test_broken_scenario_fails_alone(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    broken, line = broken_scenario(root)

    result = run_build(root)
    assert not result.ok
    assert result.failed == [str(broken)]
    assert rels(out, result.built) == expected_documents(("md", "html"), ("brief", "report"))
    assert not (out / "broken-copy").exists()
    located = [d for d in result.diagnostics if Path(d.file).name == "broken.yaml"]
    assert any(d.line == line and d.column == 9 and d.severity == "error" for d in located)

    run = cli(root)
    assert run.returncode == 1
    assert re.search(rf"broken\.yaml:{line}:9: error: status: 'nonsense'", run.stderr), run.stderr
    assert "failed 1" in run.stdout


def test_fail_fast_stops_before_rendering(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    broken_scenario(root)
    run = cli(root, "--fail-fast", "--format", "json")
    assert run.returncode == 1, run.stderr
    summary = json.loads(run.stdout)
    assert summary["built"] == []
    assert summary["failed"] == [str(root.resolve() / "scenarios" / "broken.yaml")]
    assert any(
        d["file"].endswith("broken.yaml") and d["severity"] == "error" and d["line"] > 1
        for d in summary["diagnostics"]
    )
    assert documents(root / "output") == set()


def test_lock_refuses_a_second_build(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    out.mkdir()
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        run = cli(root)
        assert run.returncode == 1
        assert "another build is running" in run.stderr
        with pytest.raises(BuildLockedError, match="another build is running"):
            run_build(root)
    assert documents(out) == set()
    assert run_build(root).ok  # the lock released, the build goes ahead


# ------------------------------------------------------------------- summary, manifest, index


def test_json_summary_lists_built_skipped_and_failed(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root.resolve() / "output"
    everything = expected_documents(("md", "html"), ("brief", "report"))

    first = cli(root, "--format", "json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {"built", "skipped", "failed", "removed", "diagnostics"} <= set(summary)
    assert rels(out, summary["built"]) == everything
    assert summary["skipped"] == summary["failed"] == []

    second = json.loads(cli(root, "--format", "json").stdout)
    assert second["built"] == second["failed"] == []
    assert rels(out, second["skipped"]) == everything


def test_index_and_manifest_describe_every_output(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    out = root / "output"
    assert run_build(root).ok

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == documents(out)
    for rel, entry in manifest["outputs"].items():
        data = (out / rel).read_bytes()
        assert re.fullmatch(r"[0-9a-f]{64}", entry["key"]), rel
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), rel
        assert entry["size"] == len(data), rel

    index = (out / "index.md").read_text(encoding="utf-8")
    html = (out / "index.html").read_text(encoding="utf-8")
    for path in SCENARIOS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        sid = re.search(r"^id: (\S+)$", text, re.M)[1]  # type: ignore[index]
        status = re.search(r"^status: (\S+)$", text, re.M)[1]  # type: ignore[index]
        entry = next(e for e in index.split("\n## ") if f"\n`{sid}` · {status} · " in e)
        for name in ("brief.md", "brief.html", "report.md", "report.html"):
            assert f"[{name}]({sid}/{name})" in entry
            assert f'href="{sid}/{name}"' in html
            assert (out / sid / name).is_file()


# --------------------------------------------------------------------------- validation cache


def test_unchanged_scenarios_are_not_parsed_again(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    run_build(root)
    import generator.format.validation

    def must_not_run(paths):
        raise AssertionError(f"re-validated unchanged files: {paths}")

    monkeypatch.setattr(generator.format.validation, "validate", must_not_run)
    result = run_build(root)
    assert result.built == [] and result.failed == []
    assert len(result.skipped) == 4 * len(scenario_ids())  # md and html of brief and report


def test_a_changed_scenario_is_validated_again(tmp_path):
    root = workspace(tmp_path)
    run_build(root)
    path = root / "scenarios" / "coordinated-pause.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: final", "status: finale", 1), encoding="utf-8")
    result = run_build(root)
    assert [str(d).split(": error: ")[1] for d in result.diagnostics] == [
        "status: 'finale' is not one of draft, review, final, superseded — did you mean 'final'?"
    ]
    assert result.failed == [str(path)]


def test_an_id_taken_by_a_cached_scenario_fails_located(tmp_path):
    root = workspace(tmp_path)
    run_build(root)
    copy = root / "scenarios" / "zz-copy.yaml"
    shutil.copy(root / "scenarios" / "coordinated-pause.yaml", copy)
    result = run_build(root)
    line = next(
        n
        for n, text in enumerate(copy.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("id:")
    )
    assert [str(d) for d in result.diagnostics] == [
        f"{copy}:{line}:5: error: id: scenario id 'coordinated-pause' is already used by "
        f"{root / 'scenarios' / 'coordinated-pause.yaml'}"
    ]
    assert result.failed == [str(copy)]


@pytest.mark.slow
def test_workers_are_recycled_without_hanging(tmp_path):
    # Each worker renders one PDF before its pool is replaced: a PDF per scenario, 2 workers.
    # (ProcessPoolExecutor's own max_tasks_per_child deadlocks here on Python 3.11-3.15.)
    root = workspace(tmp_path, PDF)
    script = (
        "from generator.batch import executors; executors.TASKS_PER_WORKER = 1\n"
        "from generator.cli import main; main(['build', '-j', '2', '--format', 'json'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["built"]) == len(scenario_ids()) and summary["failed"] == []
    for pdf in (root / "output").glob("*/brief.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")


def test_build_without_scenarios_is_a_usage_error(tmp_path):
    result = cli(tmp_path)
    assert result.returncode == 2
    assert f"no PATH given and no scenarios/ folder in {tmp_path}" in result.stderr
    assert not (tmp_path / "output").exists()


def _build_on_a_terminal(root: Path, *args: str) -> str:
    """Run ``scenario build ARGS`` with a pseudo-terminal as its output; return what it showed."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "build", *args],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_terminal_shows_a_progress_bar_and_quiet_hides_it(tmp_path):
    root = workspace(tmp_path)
    shown = _build_on_a_terminal(root)
    documents = 4 * len(scenario_ids())  # brief and report, md and html
    assert "rendering" in shown and f"{documents}/{documents}" in shown.replace(" ", "")
    assert f"built {documents}, skipped 0, failed 0" in shown
    (root / "output").rename(root / "old-output")
    quiet = _build_on_a_terminal(root, "-q")
    assert quiet == ""


def test_an_interrupted_build_keeps_what_it_finished(tmp_path, monkeypatch):
    root = workspace(tmp_path)

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_build(root, progress=interrupt)
    leftover = root / "output" / "coordinated-pause" / ".brief.md.x1y2z3w4.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)  # whichever scenario came first
    leftover.write_text("half a file", encoding="utf-8")
    result = run_build(root)
    # the two outputs recorded before the interruption are not rendered again
    assert (len(result.skipped), len(result.built)) == (2, 4 * len(scenario_ids()) - 2)
    assert not leftover.exists()


def test_a_malformed_scenario_toml_is_one_json_diagnostic_under_format_json(tmp_path: Path) -> None:
    """A script reading ``--format json`` gets the settings' error located, not plain text."""
    root = workspace(tmp_path, 'formats = ["md"]\ntemplates = "brief\n')
    run = cli(root, "--format", "json")
    assert run.returncode == 1, run.stderr
    summary = json.loads(run.stdout)
    (diag,) = summary["diagnostics"]
    assert diag["file"] == str(root / "scenario.toml")
    assert (diag["line"], diag["severity"], diag["code"]) == (2, "error", "config")
    assert diag["message"].startswith("invalid TOML: ")
    assert summary["built"] == [] and run.stderr == ""
    human = cli(root)
    assert human.returncode == 1
    assert re.match(
        rf"{re.escape(str(root / 'scenario.toml'))}:2:\d+: error: invalid TOML", human.stderr
    )
    assert not (root / "output").exists()


def test_a_build_saved_on_the_way_keeps_the_index_key(tmp_path: Path, monkeypatch) -> None:
    """A manifest saved mid-build (every few seconds) keeps the key of the index files on
    disk: a forced build that then finds nothing new must not leave the key empty."""
    import generator.batch

    root = workspace(tmp_path)
    out = root / "output"
    run_build(root)
    key = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["index"]
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    monkeypatch.setattr(generator.batch, "SAVE_EVERY", 0.0)  # a save after every output
    assert run_build(root, force=True).ok
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["index"] == key
