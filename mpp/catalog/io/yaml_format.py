"""YAML: a list of documents {service, version, change_note, components}, one per standard."""

from typing import Any

import yaml
from django.utils.translation import gettext as _

from mpp.catalog.io.common import Entry, Problem, refuse

ENTRY_KEYS = ("service", "version", "change_note", "components")


class _Loader(yaml.SafeLoader):
    """Safe loading without aliases: `*anchor` references could expand a small file hugely."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, _("alias YAML (*) tidak diizinkan"), self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def dump(entries: list[dict[str, Any]]) -> bytes:
    return yaml.safe_dump(
        entries, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    ).encode("utf-8")


def dump_components(components: dict[str, Any]) -> str:
    """The components of one standard as YAML, for the officer's edit box."""
    return yaml.safe_dump(
        components, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _load(text: str) -> list[tuple[yaml.Node, Any]]:
    loader = _Loader(text)
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            documents.append((node, loader.construct_document(node)))
        return documents
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = _("baris %(line)d") % {"line": mark.line + 1} if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise refuse(_("YAML tidak sah: %(problem)s") % {"problem": problem}, where) from exc
    except (ValueError, RecursionError) as exc:
        raise refuse(_("YAML tidak sah: %(problem)s") % {"problem": exc}) from exc
    finally:
        loader.dispose()


def _locations(node: yaml.Node, prefix: str, path: tuple = ()) -> dict[tuple, str]:
    """Where every value below `node` sits, by component path."""
    line = _("baris %(line)d") % {"line": _line(node)}
    found = {path: f"{prefix}, {line}" if prefix else line}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found.update(_locations(value, prefix, (*path, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            found.update(_locations(value, prefix, (*path, index)))
    return found


def _mapping_value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in node.value if k.value == key), None)


def _entry(node: yaml.Node, value: Any, index: int) -> tuple[Entry | None, list[Problem]]:
    prefix = _("dokumen %(n)d") % {"n": index}
    where = f"{prefix}, " + _("baris %(line)d") % {"line": _line(node)}
    if not isinstance(value, dict):
        return None, [Problem(where, _("setiap dokumen harus berupa pemetaan (mapping)."))]
    problems = [
        Problem(where, _("kunci tidak dikenal: %(key)s") % {"key": key})
        for key in value
        if key not in ENTRY_KEYS
    ]
    service = value.get("service")
    if not isinstance(service, str) or not service.strip():
        problems.append(Problem(where, _("service: slug layanan wajib diisi.")))
    version = value.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        problems.append(Problem(where, _("version: harus bilangan bulat atau kosong.")))
    change_note = value.get("change_note") or ""
    if not isinstance(change_note, str):
        problems.append(Problem(where, _("change_note: harus teks.")))
    components = value.get("components")
    if not isinstance(components, dict):
        problems.append(Problem(where, _("components: wajib berupa pemetaan 14 komponen.")))
    if problems:
        return None, problems
    entry = Entry(
        service=service.strip(),
        components=components,
        where=where,
        version=version,
        change_note=change_note.strip(),
    )
    components_node = _mapping_value(node, "components")
    if components_node is not None:
        entry.locations = _locations(components_node, prefix)
        del entry.locations[()]
    return entry, []


def parse(text: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of a YAML file: a list of documents, a stream of documents, or one document."""
    documents = [(node, value) for node, value in _load(text) if value is not None]
    if len(documents) == 1 and isinstance(documents[0][1], list):
        node, value = documents[0]
        documents = list(zip(node.value, value, strict=True))
    if not documents:
        raise refuse(_("Berkas YAML tidak berisi standar apa pun."))
    entries, problems = [], []
    for index, (node, value) in enumerate(documents, start=1):
        entry, entry_problems = _entry(node, value, index)
        problems.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def parse_components(text: str) -> Entry:
    """The components of one standard typed in the officer's edit box."""
    if not text.strip():
        raise refuse(_("Isian YAML kosong."))
    documents = [(node, value) for node, value in _load(text) if value is not None]
    if len(documents) != 1 or not isinstance(documents[0][1], dict):
        raise refuse(_("Isian harus satu pemetaan (mapping) berisi 14 komponen standar."))
    node, value = documents[0]
    entry = Entry(service="", components=value, where="")
    entry.locations = _locations(node, "")
    del entry.locations[()]
    return entry
