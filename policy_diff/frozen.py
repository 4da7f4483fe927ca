"""Frozen value classes, without the cost of importing `dataclasses`.

`dataclasses` imports `inspect` and compiles five methods for every class: about
16 ms of a small diff's 50 ms start-up for this package's classes.  `frozen` gives
the part of it this package uses: construction by position or keyword with
defaults, `==` and `hash` over the compared fields, a readable repr, immutability
and `replace`, with one small compiled `__init__` per class.

>>> @frozen
... class Point:
...     x: int
...     y: int = 0
...     label: str = uncompared(default="")
>>> Point(1, label="a") == Point(1, 0, "b"), Point(1)
(True, Point(x=1, y=0, label=''))
>>> replace(Point(1), y=2).y
2
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")
_MISSING = object()


class _Uncompared:
    """The mark `uncompared` leaves in a class body; `frozen` reads and removes it."""

    def __init__(self, default: Any) -> None:
        self.default = default


# Typed like `dataclasses.field`: a field's default has the field's type.
@overload
def uncompared(*, default: T) -> T: ...
@overload
def uncompared() -> Any: ...
def uncompared(*, default: Any = _MISSING) -> Any:
    """A field left out of `==` and `hash` (a source line, say), with an optional default.

    The default is given by keyword, as to `dataclasses.field`, where type checkers look for it.
    """
    return _Uncompared(default)


class FrozenInstanceError(AttributeError):
    """Raised on an attempt to change a frozen object's field."""


# `dataclass_transform` (in `typing`, which is loaded anyway) tells type checkers that
# `@frozen` works like `@dataclass(frozen=True)`, so they read the constructor's parameters.
@dataclass_transform(frozen_default=True, field_specifiers=(uncompared,))
def frozen(cls: type[T]) -> type[T]:
    """Give CLS (fields declared as annotations, in order) the methods of a frozen dataclass."""
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults: dict[str, Any] = {}
    compared = []
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Uncompared):
            value = value.default
            setattr(cls, name, value) if value is not _MISSING else delattr(cls, name)
        else:
            compared.append(name)
        if value is not _MISSING:
            defaults[name] = value
    # setattr: type checkers reject assigning to a method (`cls.__init__ = ...`).
    setattr(cls, "__init__", _make_init(cls.__name__, names, defaults))  # noqa: B010
    _add_methods(cls, names, tuple(compared))
    return cls


def _make_init(class_name: str, names: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    """One `__init__` per class with real parameters, so calls fail as they would on a class
    written by hand (a missing or unknown argument names itself)."""
    params = ", ".join(f"{n}=_defaults[{n!r}]" if n in defaults else n for n in names)
    body = "".join(f"    _set(self, {n!r}, {n})\n" for n in names) or "    pass\n"
    namespace: dict[str, Any] = {"_defaults": defaults, "_set": object.__setattr__}
    exec(f"def __init__(self, {params}):\n{body}", namespace)  # noqa: S102 - our own names only
    init = namespace["__init__"]
    init.__qualname__ = f"{class_name}.__init__"
    return init


def _add_methods(cls: type, names: tuple[str, ...], compared: tuple[str, ...]) -> None:
    key = attrgetter(*compared) if compared else (lambda self: ())

    def __eq__(self: Any, other: Any) -> bool:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key(self) == key(other)

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash(key(self))

    def __repr__(self: Any) -> str:  # noqa: N807
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:  # noqa: N807
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    for method in (__eq__, __hash__, __repr__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    cls.__frozen_fields__ = names  # type: ignore[attr-defined]  # added here, to any class


def replace(obj: T, **changes: Any) -> T:
    """A copy of OBJ with some fields changed, like `dataclasses.replace`."""
    # OBJ is of a @frozen class, which `frozen` gave its field names.
    values = {n: getattr(obj, n) for n in obj.__frozen_fields__}  # type: ignore[attr-defined]
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    return type(obj)(**{**values, **changes})
