"""No two API schemas share a class name: django-ninja keys OpenAPI components by name, and
the later one silently replaces the earlier in the document (the operation would then be
documented with another operation's shape)."""

from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_name_is_unique():
    import mpp.api  # noqa: F401  (imports every router and its schemas)

    places: dict[str, set[str]] = defaultdict(set)
    for cls in {*_subclasses(Schema), *_subclasses(BaseModel)}:
        if cls.__module__.startswith("mpp.") and ".tests." not in cls.__module__:
            places[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in places.items() if len(where) > 1}
    assert clashes == {}
