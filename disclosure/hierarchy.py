"""The issuer tree as plain data (省 → 市 → 县 → 校): pure functions, no ORM.

The tree is given as ``(id, parent_id)`` pairs, which one query reads for the whole platform
(hundreds of issuers), so every question about it is answered in memory.
"""

from collections.abc import Iterable

Pairs = Iterable[tuple[int, int | None]]


def children_map(pairs: Pairs) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in pairs:
        children.setdefault(parent_id, []).append(pk)
    return children


def subtree(pairs: Pairs, root: int) -> set[int]:
    """`root` and every issuer directly or transitively below it (cycle-safe)."""
    children = children_map(pairs)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def ancestors(parents: dict[int, int | None], start: int) -> list[int]:
    """The ids above `start`, nearest first; stops at a cycle instead of looping."""
    chain: list[int] = []
    seen = {start}
    current = parents.get(start)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain


def would_cycle(parents: dict[int, int | None], pk: int, new_parent: int | None) -> bool:
    """Would making `new_parent` the parent of `pk` make `pk` its own ancestor?"""
    if new_parent is None:
        return False
    if new_parent == pk:
        return True
    current, seen = new_parent, set()
    while current is not None and current not in seen:
        if current == pk:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def is_below(parents: dict[int, int | None], lower: int, higher: int) -> bool:
    """Is `lower` strictly below `higher` (directly or transitively)?"""
    return higher in ancestors(parents, lower)
