"""What changed between two versions of a service standard, component by component.

`compare_standards` is pure: it reads two sets of the 14 components (a ServiceStandard or a
plain dict under the API keys) and describes added, removed and changed items in the words
the public pages use, so that a citizen can read the result without knowing the data shape.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.catalog.standard_schema import COMPONENT_KEYS, DELIVERY_KEYS
from mpp.catalog.templatetags.catalog_format import (
    describe_fee,
    describe_requirement,
    describe_step,
    duration,
)

COMPONENT_LABELS: dict[str, Any] = {
    "requirements": gettext_lazy("Persyaratan"),
    "procedure": gettext_lazy("Sistem, mekanisme, dan prosedur"),
    "completion_time": gettext_lazy("Jangka waktu penyelesaian"),
    "fee": gettext_lazy("Biaya/tarif"),
    "products": gettext_lazy("Produk pelayanan"),
    "complaint_handling": gettext_lazy("Penanganan pengaduan, saran, dan masukan"),
    "legal_basis": gettext_lazy("Dasar hukum"),
    "facilities": gettext_lazy("Sarana, prasarana, dan/atau fasilitas"),
    "officer_competence": gettext_lazy("Kompetensi pelaksana"),
    "internal_supervision": gettext_lazy("Pengawasan internal"),
    "officer_count": gettext_lazy("Jumlah pelaksana"),
    "service_guarantee": gettext_lazy("Jaminan pelayanan"),
    "security_guarantee": gettext_lazy("Jaminan keamanan dan keselamatan pelayanan"),
    "performance_evaluation": gettext_lazy("Evaluasi kinerja pelaksana"),
}

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class ItemChange:
    """One added, removed or changed item of a component, described for people."""

    kind: ChangeKind
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class ComponentChange:
    """The changes of one component between two versions (empty `items`: unchanged)."""

    key: str
    label: str
    group: Literal["delivery", "management"]
    items: tuple[ItemChange, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.items)


def _components(standard: Any) -> Mapping[str, Any]:
    return standard.components() if hasattr(standard, "components") else standard


def _keyed_list(
    old: list, new: list, key: Callable[[Any], str], describe: Callable[[Any], str]
) -> list[ItemChange]:
    """Match items by key; report removed, changed (same key, other content) and added."""
    old_by_key = {key(item): item for item in old or []}
    new_by_key = {key(item): item for item in new or []}
    changes: list[ItemChange] = []
    for k, item in old_by_key.items():
        if k not in new_by_key:
            changes.append(ItemChange("removed", old=describe(item)))
        elif describe(item) != describe(new_by_key[k]) or item != new_by_key[k]:
            changes.append(ItemChange("changed", old=describe(item), new=describe(new_by_key[k])))
    changes.extend(
        ItemChange("added", new=describe(item))
        for k, item in new_by_key.items()
        if k not in old_by_key
    )
    return changes


def _with_description(describe: Callable[[dict], str]) -> Callable[[dict], str]:
    def _describe(item: dict) -> str:
        text = describe(item)
        return f"{text}. {item['description']}" if item.get("description") else text

    return _describe


def _name(item: Any) -> str:
    return str(item.get("name", "")) if isinstance(item, dict) else str(item)


def _text(item: Any) -> str:
    return str(item)


def _requirements(old: Any, new: Any) -> list[ItemChange]:
    return _keyed_list(
        old,
        new,
        key=lambda i: i.get("code") or i.get("name", ""),
        describe=_with_description(describe_requirement),
    )


def _procedure(old: Any, new: Any) -> list[ItemChange]:
    changes = _keyed_list(
        old, new, key=lambda i: i.get("title", ""), describe=_with_description(describe_step)
    )
    new_titles = {s.get("title") for s in new or []}
    old_order = [s.get("title") for s in old or [] if s.get("title") in new_titles]
    old_titles = {s.get("title") for s in old or []}
    new_order = [s.get("title") for s in new or [] if s.get("title") in old_titles]
    if old_order != new_order:
        changes.append(
            ItemChange(
                "changed",
                old=_("Urutan: %s") % " → ".join(old_order),
                new=_("Urutan: %s") % " → ".join(new_order),
            )
        )
    return changes


def _scalar(describe: Callable[[Any], str]) -> Callable[[Any, Any], list[ItemChange]]:
    def _compare(old: Any, new: Any) -> list[ItemChange]:
        before, after = describe(old), describe(new)
        if old == new and before == after:
            return []
        if not before:
            return [ItemChange("added", new=after)]
        if not after:
            return [ItemChange("removed", old=before)]
        return [ItemChange("changed", old=before, new=after)]

    return _compare


def _completion_time(value: Any) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    text = duration(value)
    return f"{text} ({value['note']})" if value.get("note") else text


def _officer_count(value: Any) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    text = str(value.get("count", ""))
    return f"{text} — {value['description']}" if value.get("description") else text


def _complaint_handling(old: Any, new: Any) -> list[ItemChange]:
    old, new = old or {}, new or {}
    changes = _scalar(lambda v: str(v or ""))(old.get("description"), new.get("description"))
    changes += _keyed_list(
        old.get("channels", []),
        new.get("channels", []),
        key=_name,
        describe=lambda c: (
            _("%(name)s %(contact)s, ditanggapi dalam %(time)s")
            % {
                "name": c.get("name", ""),
                "contact": f"({c['contact']})" if c.get("contact") else "",
                "time": duration(c.get("response_time")),
            }
        ),
    )
    return changes


def _legal_basis(item: dict) -> str:
    return f"{item.get('title', '')} ({item['url']})" if item.get("url") else item.get("title", "")


COMPARERS: dict[str, Callable[[Any, Any], list[ItemChange]]] = {
    "requirements": _requirements,
    "procedure": _procedure,
    "completion_time": _scalar(_completion_time),
    "fee": lambda o, n: _keyed_list(o, n, key=_name, describe=describe_fee),
    "products": lambda o, n: _keyed_list(
        o, n, key=_name, describe=_with_description(lambda i: i.get("name", ""))
    ),
    "complaint_handling": _complaint_handling,
    "legal_basis": lambda o, n: _keyed_list(
        o, n, key=lambda i: i.get("title", ""), describe=_legal_basis
    ),
    "facilities": lambda o, n: _keyed_list(o, n, key=_text, describe=_text),
    "officer_competence": lambda o, n: _keyed_list(o, n, key=_text, describe=_text),
    "internal_supervision": _scalar(lambda v: str(v or "")),
    "officer_count": _scalar(_officer_count),
    "service_guarantee": _scalar(lambda v: str(v or "")),
    "security_guarantee": _scalar(lambda v: str(v or "")),
    "performance_evaluation": _scalar(lambda v: str(v or "")),
}


def compare_standards(old: Any, new: Any) -> list[ComponentChange]:
    """The 14 components in order, each with what changed from `old` to `new`."""
    before, after = _components(old), _components(new)
    return [
        ComponentChange(
            key=key,
            label=str(COMPONENT_LABELS[key]),
            group="delivery" if key in DELIVERY_KEYS else "management",
            items=tuple(COMPARERS[key](before.get(key), after.get(key))),
        )
        for key in COMPONENT_KEYS
    ]
