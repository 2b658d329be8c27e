"""Validation: the bundled schema plus the lints the service only reports at render time.

:func:`validate` returns a :class:`ValidationReport`; it never raises for a bad
movie. :func:`ensure_valid` (what ``Movie.to_dict`` calls) raises
:class:`~moviekit.MovieValidationError` when the report has errors.

Every :class:`Problem` has a ``path`` such as ``scenes[1].elements[0].src``, a
stable ``code``, a ``message`` saying what is wrong and a ``hint`` saying how
to fix it. Schema errors are reduced to the most specific failure (a bad value
inside ``anyOf`` branches is explained by the branch that matches its type).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from typing import Any, TypeGuard

from jsonschema.exceptions import ValidationError

from moviekit._errors import MovieValidationError
from moviekit._problems import (
    Problem,
    Severity,
    ValidationReport,
    format_path,
    json_type,
)
from moviekit._problems import (
    short_json as _short,
)
from moviekit.service._schema import (
    ACCEPTED_KINDS,
    NON_BLANK,
    TEMPLATE_ID_LENGTH,
    VARIABLE_NAME,
    extension_kind,
    is_clean,
    is_valid,
    known_keys,
    reference_validator,
)

__all__ = ["ensure_valid", "validate"]


_CLEAN = ValidationReport()


def validate(movie: Any) -> ValidationReport:
    """Check a :class:`~moviekit.Movie` or a Movie JSON dict; never raises for a bad movie.

    Runs the bundled schema and moviekit's lints (missing ``src``, a ``src``
    whose extension contradicts the element type, unknown properties, variable
    names and uses, subtitles and export rules, template ids).
    """
    doc = _as_document(movie)
    problems: list[Problem] = []
    if not isinstance(doc, Mapping):
        problems.append(
            Problem(
                "",
                "type",
                f"a movie must be a JSON object, got {type(doc).__name__}",
                hint="pass a Movie builder or a dict such as {'scenes': [...]}",
            )
        )
        return ValidationReport(errors=tuple(problems))
    try:
        if is_clean(doc) and _at_most_one_subtitles(doc) and not _scene_may_trim(doc):
            return _CLEAN  # the fast path: nothing the explaining path could report
    except (ValueError, TypeError):
        # Not JSON data at all (a set, bytes, an object, a non-string key): say where.
        return _report(doc, list(_not_json(doc, "")))
    if not is_valid(doc):
        problems.extend(_schema_problems(doc))
    problems.extend(_Linter(doc).run())
    return _report(doc, problems)


def _not_json(value: Any, path: str) -> Iterator[Problem]:
    """Problems for every value in ``value`` that JSON cannot carry."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                yield Problem(
                    path,
                    "not-json",
                    f"object keys must be strings, got {key!r}",
                    hint="use string keys",
                )
                continue
            yield from _not_json(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _not_json(item, f"{path}[{i}]")
    elif not (value is None or isinstance(value, (str, int, float, bool))):
        yield Problem(
            path,
            "not-json",
            f"{type(value).__name__} is not a JSON value",
            value=_short(value),
            hint="use a string, number, boolean, list or dict",
        )


def _at_most_one_subtitles(doc: Mapping[str, Any]) -> bool:
    # JSON Schema draft-07 cannot count matches, so this one lint stays in Python.
    elements = doc.get("elements")
    if not isinstance(elements, list):
        return True
    return sum(1 for e in elements if isinstance(e, Mapping) and e.get("type") == "subtitles") < 2


def _scene_may_trim(doc: Mapping[str, Any]) -> bool:
    """Could a scene's explicit duration hide or cut one of its elements? (fast-path gate)

    The other timing lints are clean-schema rules (see ``_schema.clean_schema``).
    These two compare numbers, which JSON Schema cannot, so this gate looks at
    each scene's ``duration`` and walks only the elements of scenes that have
    one: a superset of what :func:`_timing_problems` can report.
    """
    scenes = doc.get("scenes")
    if not isinstance(scenes, list) or "template" in doc:
        return False
    for scene in scenes:
        limit = scene.get("duration") if type(scene) is dict else None
        if limit is None or not _number(limit) or limit <= 0:
            continue  # the common case: one dict lookup per scene
        for element in scene.get("elements") or ():
            if not isinstance(element, Mapping):
                continue
            start, duration = element.get("start", 0), element.get("duration")
            extra = element.get("extra-time", 0)
            if start == -1 or not _number(start) or start >= limit:
                return True
            if _number(extra) and extra > 0:
                return True
            if _number(duration) and duration > 0 and start + duration > limit:
                return True
    return False


def _number(value: Any) -> TypeGuard[float]:
    return type(value) is int or type(value) is float


def ensure_valid(doc: Mapping[str, Any]) -> ValidationReport:
    """Validate and raise :class:`~moviekit.MovieValidationError` if there is any error."""
    report = validate(doc)
    if not report.ok:
        raise MovieValidationError(report)
    return report


def _as_document(movie: Any) -> Any:
    compile_ = getattr(movie, "to_dict", None)
    if callable(compile_) and not isinstance(movie, Mapping):
        return compile_(validate=False)
    return movie


def _report(doc: Mapping[str, Any], problems: list[Problem]) -> ValidationReport:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for p in problems:
        key = (p.path, p.code, p.message)
        if key not in seen:
            seen.add(key)
            unique.append(p.__class__(**{**asdict(p), "element_type": _element_type(doc, p.path)}))
    # Document order keeps a report readable; within one path, errors precede warnings.
    order = _path_order(doc, unique)
    unique.sort(key=lambda p: order[p.path])
    return ValidationReport(
        errors=tuple(p for p in unique if p.severity == "error"),
        warnings=tuple(p for p in unique if p.severity == "warning"),
    )


_INDEX = re.compile(r"\[(\d+)\]")


_CHILDREN = {"scenes": 1_000_000, "elements": 1_000_001}


def _path_order(doc: Any, problems: Iterable[Problem]) -> dict[str, tuple[int, ...]]:
    """Sort keys that follow the document: each path step ranks by its position there.

    As in compiled output, an object's own properties come before its
    ``scenes``, and those before its ``elements``.
    """

    def key(path: str) -> tuple[int, ...]:
        ranks: list[int] = []
        node = doc
        for token in (t for t in re.split(r"[\[\].]+", path) if t):
            if isinstance(node, list) and token.isdigit():
                ranks.append(int(token))
                node = node[int(token)] if int(token) < len(node) else None
            elif isinstance(node, Mapping):
                keys = list(node)
                if token in _CHILDREN:  # like compiled output: properties, then children
                    ranks.append(_CHILDREN[token])
                else:
                    ranks.append(keys.index(token) if token in keys else len(keys))
                node = node.get(token)
            else:
                ranks.append(0)
                node = None
        return tuple(ranks)

    return {p.path: key(p.path) for p in problems}


def _element_type(doc: Mapping[str, Any], path: str) -> str | None:
    match = re.match(r"^(?:scenes\[(\d+)\]\.)?elements\[(\d+)\]", path)
    if not match:
        return None
    try:
        container = doc["scenes"][int(match.group(1))] if match.group(1) else doc
        element = container["elements"][int(match.group(2))]
    except (KeyError, IndexError, TypeError):
        return None
    kind = element.get("type") if isinstance(element, Mapping) else None
    return kind if isinstance(kind, str) else None


# =========================================================================== schema errors


def _schema_problems(doc: Mapping[str, Any]) -> Iterator[Problem]:
    for error in reference_validator().iter_errors(doc):
        yield from _explain(error)


_TYPE_NAMES = {
    "number": "a number", "integer": "a whole number", "string": "a string",
    "boolean": "true or false", "object": "a JSON object", "array": "a list", "null": "null",
}  # fmt: skip


def _explain(error: ValidationError) -> Iterator[Problem]:
    path = format_path(error.absolute_path)
    value: Any = error.instance
    kind = error.validator

    if kind == "anyOf":
        yield _explain_any_of(error, path)
        return
    if kind == "required":
        missing = _quoted_name(error.message)
        owner = value.get("type") if isinstance(value, Mapping) else None
        what = f"a {owner} element" if isinstance(owner, str) else (path or "the movie")
        yield Problem(
            format_path([*error.absolute_path, missing]),
            "required",
            f"'{missing}' is required for {what}",
            hint=_REQUIRED_HINTS.get(missing, f"set '{missing}'"),
        )
        return
    if kind == "additionalProperties":
        documented = _schema_of(error).get("properties", {})
        allowed = sorted(documented)
        extra = [k for k in value if k not in documented]
        for key in extra:
            yield _unknown_property(
                format_path([*error.absolute_path, key]), key, allowed, "error", strict=True
            )
        return
    yield _simple(error, path, value)


_REQUIRED_HINTS = {
    "scenes": "add at least one Scene, or render a saved template with Movie.from_template(id)",
    "type": "every element needs a 'type' such as 'video' or 'text'",
    "text": "give the text to show, e.g. Text('Hello')",
    "component": "name a library component, e.g. Component('basic/001')",
}


def _quoted_name(message: str) -> str:
    match = re.match(r"^'([^']*)'", message)
    return match.group(1) if match else message


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    # jsonschema types these loosely (a schema may be a bool); ours are always objects.
    schema: Any = error.schema
    return schema if isinstance(schema, Mapping) else {}


def _simple(error: ValidationError, path: str, value: Any) -> Problem:
    kind = error.validator
    schema = _schema_of(error)
    rule: Any = error.validator_value
    shown = _short(value)
    if kind == "enum":
        options = list(rule)
        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
        hint = f"did you mean {close[0]!r}?" if close else ""
        return Problem(path, "enum", f"must be one of {_options(options)}", hint=hint, value=shown)
    if kind == "const":
        return Problem(path, "const", f"must be {_short(rule)}", value=shown)
    if kind == "type":
        names = [rule] if isinstance(rule, str) else list(rule)
        return Problem(
            path,
            "type",
            f"expected {' or '.join(_TYPE_NAMES.get(n, n) for n in names)}, "
            f"got {_TYPE_NAMES.get(json_type(value), json_type(value))} {shown}",
            value=shown,
        )
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return Problem(
            path, "range", f"{shown} is out of range: {_range_text(schema)}", value=shown
        )
    if kind in ("minLength", "maxLength", "minItems", "maxItems", "pattern"):
        return Problem(path, kind, error.message, value=shown)
    return Problem(path, str(kind), error.message, value=shown)


def _options(options: list[Any], limit: int = 12) -> str:
    shown = ", ".join(repr(o) for o in options[:limit])
    return shown + (f", ... ({len(options)} in all)" if len(options) > limit else "")


def _range_text(schema: Mapping[str, Any]) -> str:
    parts = []
    if "minimum" in schema:
        parts.append(f">= {schema['minimum']}")
    if "exclusiveMinimum" in schema:
        parts.append(f"> {schema['exclusiveMinimum']}")
    if "maximum" in schema:
        parts.append(f"<= {schema['maximum']}")
    if "exclusiveMaximum" in schema:
        parts.append(f"< {schema['exclusiveMaximum']}")
    return "must be " + " and ".join(parts)


_PLACEHOLDER_NOTE = "a {{ }} placeholder is also accepted"


def _explain_any_of(error: ValidationError, path: str) -> Problem:
    """Explain a failed ``anyOf`` (a typed value or a placeholder) by its most fitting branch."""
    value = error.instance
    shown = _short(value)
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branch: Any = sub.relative_schema_path[0]
        branches.setdefault(branch, []).append(sub)
    # A branch whose own type matched the value failed on something more specific
    # (a range, an enum): that is the explanation the user needs.
    specific = [
        errs
        for errs in branches.values()
        if errs and all(e.validator not in ("type", "pattern", "$ref", "anyOf") for e in errs)
    ]
    if specific:
        best = min(specific, key=len)[0]
        problem = _simple(best, path, value)
        message = problem.message
        # e.g. a duration: "> 0" on the number branch, or the special values of an enum branch
        alternatives = [
            v
            for errs in specific
            for e in errs
            if e.validator == "enum" and e is not best
            for v in e.validator_value  # type: ignore[union-attr]
        ]
        if alternatives and problem.code == "range":
            message += f", or one of {_options(alternatives)}"
        return Problem(problem.path, problem.code, message, hint=problem.hint, value=shown)
    expected: list[str] = []
    enum_values: list[Any] = []
    for sub in error.context or ():
        names: Any = sub.validator_value
        if sub.validator == "type":
            expected.extend([names] if isinstance(names, str) else names)
        elif sub.validator == "enum":
            enum_values.extend(names)
    if enum_values:
        close = difflib.get_close_matches(str(value), [str(o) for o in enum_values], n=1)
        return Problem(
            path,
            "enum",
            f"must be one of {_options(enum_values)}",
            hint=f"did you mean {close[0]!r}?" if close else _PLACEHOLDER_NOTE,
            value=shown,
        )
    names = sorted({_TYPE_NAMES.get(n, n) for n in expected if n != "string"}) or ["a valid value"]
    return Problem(
        path,
        "type",
        f"expected {' or '.join(names)}, "
        f"got {_TYPE_NAMES.get(json_type(value), 'a value')} {shown}",
        hint=_PLACEHOLDER_NOTE + ' (e.g. "{{duration}}")',
        value=shown,
    )


def _unknown_property(
    path: str, key: str, allowed: Iterable[str], severity: Severity, *, strict: bool = False
) -> Problem:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif strict:
        hint = "the service rejects unknown keys here; remove it"
    else:
        hint = "it is sent as given; remove it if it is a typo"
    where = "not a known property" + ("" if strict else " (the service may ignore it)")
    return Problem(path, "unknown-property", f"'{key}' is {where}", severity, hint=hint)


# =========================================================================== lints

_VAR_NAME = re.compile(VARIABLE_NAME.strip("^$"))
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_IDENT = re.compile(r"(?<![\w.'\"])([A-Za-z_][A-Za-z0-9_]*)")
_STRING_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_EXPR_WORDS = frozenset(
    {"and", "or", "not", "true", "false", "null", "min", "max", "True", "False"}
)
_NEEDS_SRC = {"video", "audio"}


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _has_placeholder(value: Any) -> bool:
    return isinstance(value, str) and "{{" in value


class _Linter:
    """One walk over the document, collecting problems the schema cannot express."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.templated = _has_placeholder(doc.get("template")) or "template" in doc

    def add(
        self,
        path: str,
        code: str,
        message: str,
        severity: Severity = "error",
        hint: str = "",
        value: Any = None,
    ) -> None:
        self.problems.append(
            Problem(path, code, message, severity, hint, None if value is None else _short(value))
        )

    def run(self) -> list[Problem]:
        doc = self.doc
        self.unknown_keys(doc, "movie", "")
        self.movie_rules(doc)
        movie_vars = self.variables(doc, "")
        scenes = doc.get("scenes")
        subtitles_paths: list[str] = []
        if isinstance(scenes, list):
            for i, scene in enumerate(scenes):
                if not isinstance(scene, Mapping):
                    continue
                path = f"scenes[{i}]"
                self.unknown_keys(scene, "scene", path)
                scene_vars = movie_vars | self.variables(scene, path)
                self.nested(scene, "transition", "transition", path)
                self.container(
                    scene, path, scene_vars, subtitles_paths, open_scope="iterate" in scene
                )
        self.container(doc, "", movie_vars, subtitles_paths, open_scope=False)
        for n, path in enumerate(subtitles_paths):
            if path.startswith("scenes["):
                self.add(
                    path,
                    "subtitles-in-scene",
                    "subtitles belong in the movie's elements, not in a scene",
                    "warning",
                    "move it: Movie(...).add(Subtitles(...)); the service's handling of "
                    "scene-level subtitles is undocumented",
                )
            if n == 1:
                self.add(
                    path,
                    "subtitles-count",
                    "a movie may have only one subtitles element",
                    hint="keep one Subtitles element and remove the others",
                )
        if "template" not in doc:
            self.problems.extend(_timing_problems(doc))
        return self.problems

    # -- movie-level rules ------------------------------------------------------------------

    def movie_rules(self, doc: Mapping[str, Any]) -> None:
        resolution = doc.get("resolution")
        has_size = "width" in doc and "height" in doc
        if resolution == "custom" and not has_size:
            self.add(
                "resolution",
                "custom-resolution-size",
                "resolution 'custom' needs both width and height",
                hint="set Movie(width=..., height=...) or pick a preset such as 'full-hd'",
            )
        elif (
            resolution not in (None, "custom")
            and not _has_placeholder(resolution)
            and ("width" in doc or "height" in doc)
        ):
            self.add(
                "width" if "width" in doc else "height",
                "size-ignored",
                f"width/height are ignored with resolution {resolution!r}",
                "warning",
                "use resolution='custom' to set your own size",
            )
        template = doc.get("template")
        if (
            isinstance(template, str)
            and not _has_placeholder(template)
            and (len(template) != TEMPLATE_ID_LENGTH)
        ):
            self.add(
                "template",
                "template-id-length",
                f"a template id has {TEMPLATE_ID_LENGTH} characters; this one has {len(template)}",
                value=template,
                hint="copy the id from the dashboard or `moviekit templates`",
            )
        exports = doc.get("exports")
        if isinstance(exports, list):
            if len(exports) > 1:
                self.add(
                    "exports[1]",
                    "export-count",
                    f"the service accepts one export; got {len(exports)}",
                    hint="put every destination in one export: movie.export_to(dest1, dest2, ...)",
                )
            for i, export in enumerate(exports):
                if not isinstance(export, Mapping):
                    continue
                self.unknown_keys(export, "export", f"exports[{i}]")
                dests = export.get("destinations")
                for j, dest in enumerate(dests if isinstance(dests, list) else ()):
                    if isinstance(dest, Mapping):
                        dest_type = dest.get("type")
                        kind = _DESTINATIONS.get(dest_type) if isinstance(dest_type, str) else None
                        if kind:
                            self.unknown_keys(dest, kind, f"exports[{i}].destinations[{j}]")

    # -- variables ----------------------------------------------------------------------------

    def variables(self, obj: Mapping[str, Any], path: str) -> frozenset[str]:
        values = obj.get("variables")
        if not isinstance(values, Mapping):
            return frozenset()
        prefix = f"{path}.variables" if path else "variables"
        for name in values:
            if not isinstance(name, str) or not _VAR_NAME.fullmatch(name):
                name = str(name)
                fixed = re.sub(r"\W", "_", name)
                fixed = fixed if fixed[:1].isalpha() else f"v_{fixed}"
                self.add(
                    f"{prefix}.{name}",
                    "variable-name",
                    f"invalid variable name {name!r}: start with a letter, then use only "
                    "letters, digits and '_'",
                    hint=f"rename it, e.g. {fixed!r} (the service would silently change it)",
                )
        return frozenset(values)

    def uses(self, obj: Any, path: str, defined: frozenset[str]) -> None:
        """Warn about ``{{name}}`` uses that no variable in scope defines."""
        if self.templated:
            return  # a saved template supplies its own variables
        for where, text in _strings(obj, path):
            for expr in _PLACEHOLDER.findall(text):
                for name in _IDENT.findall(_STRING_LITERAL.sub("", expr)):
                    if name not in defined and name not in _EXPR_WORDS:
                        self.add(
                            where,
                            "undefined-variable",
                            f"'{{{{{name}}}}}' is used but no variable '{name}' is defined",
                            "warning",
                            f"define it: .variables({name}=...) on the movie, scene or "
                            "element (ignore this if a template supplies it)",
                        )

    # -- containers and elements ------------------------------------------------------------

    def container(
        self,
        obj: Mapping[str, Any],
        path: str,
        in_scope: frozenset[str],
        subtitles: list[str],
        *,
        open_scope: bool,
    ) -> None:
        """Lint the elements of a scene (or the movie) and the placeholders used there.

        ``open_scope``: a scene with ``iterate`` gets variables from its array
        items, which are unknown here, so its placeholders are not checked.
        """
        elements = obj.get("elements")
        elements = elements if isinstance(elements, list) else []
        ids = [e.get("id") for e in elements if isinstance(e, Mapping)]
        scope = in_scope | frozenset(
            f"{i}_{part}"
            for i in ids
            if isinstance(i, str)
            for part in ("start", "end", "duration", "extratime")
        )
        if not open_scope:
            self.uses(obj, path, scope)
        prefix = f"{path}.elements" if path else "elements"
        for j, element in enumerate(elements):
            if not isinstance(element, Mapping):
                continue
            epath = f"{prefix}[{j}]"
            kind = element.get("type")
            if kind == "subtitles":
                subtitles.append(epath)
            if isinstance(kind, str) and kind in _ELEMENT_DEFINITIONS:
                self.unknown_keys(element, kind, epath)
                self.element_rules(element, kind, epath)
            own = self.variables(element, epath)
            if not open_scope:
                self.uses(element, epath, scope | own)

    def element_rules(self, element: Mapping[str, Any], kind: str, path: str) -> None:
        src = element.get("src")
        if kind in _NEEDS_SRC or kind == "image":
            if src is None:
                if kind == "image" and "prompt" in element:
                    return
                self.add(
                    f"{path}.src",
                    "missing-src",
                    f"{_a(kind)} {kind} element needs a 'src'",
                    hint=f"give the file's URL, e.g. {kind.capitalize()}('https://...')"
                    + (" or an AI 'prompt'" if kind == "image" else ""),
                )
            elif isinstance(src, str) and not NON_BLANK.search(src):
                self.add(
                    f"{path}.src",
                    "empty-src",
                    f"the {kind} element's 'src' is empty",
                    hint="give the file's URL",
                )
            elif isinstance(src, str) and not _has_placeholder(src):
                found = extension_kind(src)
                if found and found not in ACCEPTED_KINDS[kind]:
                    self.add(
                        f"{path}.src",
                        "src-kind",
                        f"the file looks like {_a(found)} {found} (by its extension) but "
                        f"the element is {_a(kind)} {kind}",
                        value=src,
                        hint=f"use {_a(found)} {found.capitalize()} element for it, or "
                        f"{_a(kind)} {kind} file; "
                        "the service fails such renders",
                    )
        elif kind == "html" and not any(
            isinstance(element.get(k), str) and NON_BLANK.search(element[k])
            for k in ("html", "src")
        ):
            self.add(
                path,
                "missing-html",
                "an html element needs 'html' or 'src'",
                hint="HTML('<h1>Hi</h1>') or HTML(src='https://...')",
            )
        for name in ("crop", "rotate", "chroma-key", "correction"):
            self.nested(element, name, _NESTED[name], path)
        # Only the documented case (reference §5.1): an endless loop needs duration -2 or a
        # positive one, "otherwise it may play only once". Whether loop 2 with the natural
        # length plays twice is not documented: the timeline shows it as a range instead.
        if element.get("loop") == -1 and element.get("duration", -1) == -1:
            self.add(
                f"{path}.loop",
                "loop-needs-duration",
                "an endless loop needs a duration; with the natural length it may play only once",
                "warning",
                value=-1,
                hint="set duration=CONTAINER_LENGTH to loop for the whole scene, or a "
                "number of seconds",
            )

    def nested(self, obj: Mapping[str, Any], key: str, definition: str, path: str) -> None:
        value = obj.get(key)
        if isinstance(value, Mapping) and definition not in _STRICT:
            self.unknown_keys(value, definition, f"{path}.{key}" if path else key)

    def unknown_keys(self, obj: Mapping[str, Any], definition: str, path: str) -> None:
        known = known_keys(definition)
        if obj.keys() <= known:
            return
        for key in obj:
            if key not in known:
                self.problems.append(
                    _unknown_property(f"{path}.{key}" if path else key, key, known, "warning")
                )


_ELEMENT_DEFINITIONS = frozenset(
    {"image", "video", "text", "html", "component", "audio", "voice", "audiogram", "subtitles"}
)
_NESTED = {
    "crop": "crop",
    "rotate": "rotate",
    "chroma-key": "chromaKey",
    "correction": "correction",
}
_DESTINATIONS = {
    "webhook": "webhookDestination",
    "ftp": "ftpDestination",
    "sftp": "ftpDestination",
    "email": "emailDestination",
}
# Objects whose schema forbids unknown keys: the schema reports them as errors.
_STRICT = frozenset({"transition", "subtitlesSettings"})


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string containing ``{{`` inside ``value``, with its path."""
    if isinstance(value, str):
        if "{{" in value:
            yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key in ("variables", "client-data", "elements", "scenes"):
                continue  # variables and client data are data; children are walked on their own
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


# =========================================================================== timing lints


def _timing_problems(doc: Mapping[str, Any]) -> list[Problem]:
    """What the timing engine can tell without rendering (reference §5; moviekit/timing/_engine.py).

    Only facts certain from the document count: an unknown natural length never
    triggers a lint.
    """
    from moviekit.timing._engine import resolve_document

    timing = resolve_document(doc)
    problems: list[Problem] = []
    for scene in timing.scenes:
        if not scene.explicit or not scene.length.exact:
            continue
        limit = scene.length.lo
        for record in scene.elements:
            if not record.resolved:
                continue
            if record.start.lo >= limit:
                problems.append(
                    Problem(
                        record.path,
                        "starts-after-scene-end",
                        f"starts at {record.start.lo:g} s, at or after the end of its scene "
                        f"({limit:g} s): it is never shown",
                        "warning",
                        hint="start it earlier, lengthen the scene, or move it to the next scene",
                    )
                )
            elif record.end.lo > limit + 1e-9:
                problems.append(
                    Problem(
                        record.path,
                        "trimmed-by-scene",
                        f"ends at {record.end.lo:g} s or later but its scene lasts {limit:g} s: "
                        "it is cut",
                        "warning",
                        hint="shorten it, lengthen the scene, or remove the scene's duration "
                        "so the scene fits its elements",
                    )
                )
    # Only the documented case (reference §5.3, troubleshooting): images (or HTML snapshots)
    # with no duration anywhere. A movie without elements is left alone (the docs disagree:
    # a tutorial renders it as 5 s of black), and so is one of texts only (its zero length
    # is inferred from the rules, never documented).
    records = [*timing.elements, *(e for scene in timing.scenes for e in scene.elements)]
    if timing.total.hi == 0 and any(e.type in ("image", "html") for e in records):
        # A warning, not an error: the rule is read from the docs, not observed, and a
        # half-built movie (a template, a test fixture) must still compile.
        problems.append(
            Problem(
                "",
                "zero-length-movie",
                "the movie would last 0 seconds: nothing in it has a length of its own "
                "(an image takes its length from its scene); the service fails such "
                "renders with 'Movie duration cannot be zero'",
                "warning",
                hint="give the scenes a duration (Scene(duration=5)) or the images one "
                "(Image(...).duration(5))",
            )
        )
    return problems
