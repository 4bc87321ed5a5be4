"""A template's failure as one located error: the template's file and line, the scenario, the field.

Owns: turning whatever a template raises (Jinja's not found, syntax,
undefined and sandbox errors, or a ``TypeError`` and the like from a
workspace template) into a :class:`~generator.errors.TemplateError` whose
diagnostic is located at the template line Jinja names in its traceback, and
the undefined value that remembers what it was read from, so an error caused
by a value's form (text where a mapping was expected) also names that value's
line in the scenario. An error that does not depend on the data (a syntax
error, a missing template) names no scenario, so one broken template gives
one message however many documents it fails. Must not render.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.utils import missing
from pydantic import BaseModel

from ..errors import Diagnostic, ScenarioError, TemplateError

if TYPE_CHECKING:
    from ..prepared import Prepared

__all__ = ["Undefined", "template_error"]


class ReadUndefined(jinja2.UndefinedError):
    """An undefined value used by a template, with the object it was read from (if any)."""

    def __init__(self, message: str | None = None, read_from: Any = missing) -> None:
        super().__init__(message)
        self.read_from = read_from


class Undefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, whose error keeps the object the template read it from."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        super().__init__(hint, obj, name, exc)
        if exc is jinja2.UndefinedError:  # Jinja raises ``self._undefined_exception(message)``
            read = functools.partial(ReadUndefined, read_from=obj)
            self._undefined_exception = read  # type: ignore[assignment] # called, never subclassed


def template_error(
    exc: Exception,
    name: str,
    label: str,
    dirs: Iterable[Path],
    prepared: Prepared | None = None,
) -> TemplateError:
    """The located error for ``exc``, raised while rendering template ``name`` for ``label``.

    ``label`` names what was being rendered (the scenario file as the user
    named it, or the index); ``dirs`` are the folders the template was looked
    up in; with ``prepared``, an undefined value read from a field of the
    scenario is located at that field. An exception that no template raised
    (a bug in the tool), or a located error of its own, is raised again as it is.
    """
    line = _template_line(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = (exc.filename or exc.name or name, exc.lineno)
        return _error(where, f"template syntax: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        looked = ", ".join(str(d) for d in dirs)
        if line is None:  # the template asked for is missing: no line to point at
            return _error((name, 0), f"template not found (looked in {looked})")
        return _error(line, f"template not found: {exc.name} (looked in {looked})")
    if line is None or isinstance(exc, ScenarioError):  # not the template's: as it is
        raise exc
    rendering = f"(rendering {label})"
    if isinstance(exc, jinja2.UndefinedError):
        field = _field(getattr(exc, "read_from", missing), prepared)
        if field:
            rendering = f"(rendering {label}, reading {field})"
        return _error(line, f"template reads an undefined value: {exc.message} {rendering}")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return _error(line, f"template tried an unsafe operation: {exc} {rendering}")
    return _error(line, f"template failed: {type(exc).__name__}: {exc} {rendering}")


def _error(where: tuple[str, int | None], message: str) -> TemplateError:
    file, line = where
    diagnostic = Diagnostic(file, line or 0, 1 if line else 0, "error", "template", message)
    return TemplateError(str(diagnostic), [diagnostic])


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line that raised ``exc``: Jinja rewrites the traceback so that
    each template frame has the template's file name and line, else ``None``."""
    found = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__jinja_exception__") is exc:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


# --------------------------------------------------------------------------- the field


def _field(value: Any, prepared: Prepared | None) -> str | None:
    """``mechanisms[asi-agreement].entry_into_force at FILE:LINE:COL`` for a value of the
    scenario's fields, when exactly one field holds it; ``None`` otherwise.

    Items themselves (a mechanism) are not located: a template that reads a
    missing attribute of one is wrong whatever the data says.
    """
    if prepared is None or value is missing or value is None or isinstance(value, BaseModel):
        return None
    if isinstance(value, bool | int):  # small numbers are shared objects: no identity to follow
        return None
    paths = list(_paths_of(prepared.scenario, value, ()))
    if len(paths) != 1:
        return None
    path = paths[0]
    shown = _shown(prepared.scenario, path)
    try:
        from ..format.loader import load_document

        line, column = load_document(prepared.path).locate(path)
    except (ScenarioError, OSError):  # the file is gone or changed since: the path alone
        return shown
    return f"{shown} at {prepared.label}:{line}:{column}"


def _paths_of(
    node: Any, value: Any, path: tuple[str | int, ...]
) -> Iterable[tuple[str | int, ...]]:
    """Every path at which ``node`` holds ``value`` itself (not an equal copy)."""
    if node is value:
        yield path
    elif isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield from _paths_of(getattr(node, name), value, (*path, field.alias or name))
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from _paths_of(item, value, (*path, index))


def _shown(node: Any, path: tuple[str | int, ...]) -> str:
    """A key path as people read it: list items by their id where they have one."""
    text = ""
    for step in path:
        if isinstance(step, int):
            node = node[step]
            ident = getattr(node, "id", None)
            text += f"[{ident if isinstance(ident, str) else step}]"
        else:
            node = getattr(node, _attribute(node, step))
            text += f".{step}" if text else step
    return text


def _attribute(model: BaseModel, key: str) -> str:
    """The attribute of the field written ``key`` (``from_`` for ``from``)."""
    for name, field in type(model).model_fields.items():
        if (field.alias or name) == key:
            return name
    return key
