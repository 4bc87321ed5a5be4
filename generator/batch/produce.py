"""The producer of a build's run phase: each scenario prepared once, its documents drawn.

Owns the order in which the main process works: for each scenario with an
output to render, prepare it once (reusing what the plan validated), write its
Markdown and HTML documents here, and hand each PDF to the executor as a
:class:`~generator.batch.executors.PdfJob` (its HTML rendered here, so a worker
only lays it out); then release the prepared scenario. A scenario that cannot
be prepared fails each of its outputs with the same error (the build prints it
once). Must not plan, run workers or keep the manifest.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from ..errors import LoadError, ScenarioError
from ..outputs import output_format
from ..versions import git
from ..versions.history import Baselines
from ..workspace import Settings
from .executors import Item, Outcome, PdfJob, failure
from .manifest import News
from .plan import Checked, Work, sha


def items(
    works: list[Work],
    todo: set[str],
    checked: Checked,
    found: git.Scan,
    finder: Baselines | None,
    settings: Settings,
) -> Generator[Item, None, None]:
    """Every output in ``todo`` (by target) of ``works``, as outcomes and PDF jobs, in order."""
    for work in works:
        tasks = [task for task in work.tasks if task.target in todo]
        if not tasks:
            checked.loaded.pop(work.path, None)
            continue
        # Loaded only when there is something to render (a no-op build never parses).
        from ..format.validation import load_file
        from ..prepared import prepare
        from ..rendering.renderers import renderer
        from ..write import write_document

        label = str(work.path)
        try:
            loaded, analysis = checked.loaded.pop(work.path, None) or (load_file(work.path), None)
            if sha(loaded.raw) != checked.hashes[work.path]:
                raise LoadError.at(label, "the file changed during the build; run the build again")
            prepared = prepare(
                loaded, work.path, label, found, finder, baseline=work.baseline, analysis=analysis
            )
        except ScenarioError as exc:
            for task in tasks:
                yield failure(task.target, exc)
            continue
        if prepared.baseline is not None:  # the index's line, from the documents' own diff
            checked.news[work.path] = News.of(prepared.changes, prepared.baseline)
        for task in tasks:
            try:
                drawer = renderer(task.fmt)
                if output_format(task.fmt).worker:
                    text = str(drawer.text(prepared, settings, task.template))  # plain
                    yield PdfJob(
                        task.target,
                        text,
                        prepared.scenario.id,
                        prepared.created,
                        settings,
                        task.fmt,
                    )
                    continue
                drawn = drawer.render(prepared, settings, task.template)
                target = Path(task.target)
                files = write_document(target, drawn, task.template, inside=settings.output)
                digest, size = files.pop(target)
                attachments = {str(path): facts for path, facts in files.items()}
                yield Outcome(
                    task.target, "built", sha256=digest, size=size, attachments=attachments
                )
            except Exception as exc:  # a bad input or a bug: this output fails, the build goes on
                yield failure(task.target, exc)
        del prepared  # released: its documents are written or queued
