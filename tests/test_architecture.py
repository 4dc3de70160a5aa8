"""The layout the code promises: data flows one way, the package stays UI-free, pages stay thin.

These read the source (``ast``), so they fail the moment someone adds an import that goes
the wrong way, before it shows as a strange bug.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "smartlead"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names; ``from x import y`` gives x and x.y)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def package_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (a package's own ``__init__`` left out)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        deps = {dep for dep in _imports(path) if dep in modules and dep != name}
        # Importing one's own package (``from smartlead import x``) names x, not a cycle.
        graph[name] = {dep for dep in deps if not name.startswith(dep + ".") and dep != "smartlead"}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None."""
    done: set[str] = set()

    def walk(node: str, path: list[str]) -> list[str] | None:
        for dep in sorted(graph[node]):
            if dep in path:
                return [*path[path.index(dep) :], dep]
            if dep not in done:
                cycle = walk(dep, [*path, dep])
                if cycle:
                    return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = walk(start, [start])
        if cycle:
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = package_graph()
    assert len(graph) > 20
    assert find_cycle(graph) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_never_imports_streamlit() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert not any(dep.split(".")[0] == "streamlit" for dep in _imports(path)), path


PURE_MODULES = (
    "smartlead.records",
    "smartlead.rates",
    "smartlead.frame",
    "smartlead.filters",
    "smartlead.schedule",
    "smartlead.audit",
    "smartlead.vocab",
    "smartlead.views",
    "smartlead.charts",
    "smartlead.passwords",
    "smartlead.mailboxes",
    "smartlead.ledger",
    "smartlead.mailbox_health",
    "smartlead.window",
    "smartlead.demo",
    "smartlead.report",
    "smartlead.report_render",
)
"""Modules that compute and never talk to the network or the disk."""

IO_MODULES = (
    "requests",
    "urllib3",
    "smartlead.client",
    "smartlead.bulk",
    "socket",
    "sqlite3",
    "psycopg",
    "psycopg_pool",
    "smartlead.database",
)


def test_pure_modules_do_no_io() -> None:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    for name in PURE_MODULES:
        deps = _imports(modules[name])
        assert not deps & set(IO_MODULES), (name, deps & set(IO_MODULES))


def test_the_transport_does_no_analysis() -> None:
    deps = _imports(PACKAGE / "client.py")
    analysis = {"smartlead.frame", "smartlead.rates", "smartlead.audit", "smartlead.schedule"}
    assert not deps & analysis


def test_pages_reach_the_package_only_for_drawing_and_never_the_transport() -> None:
    page_files = sorted((ROOT / "app_pages").glob("*.py"))
    assert len(page_files) >= 5  # the check must look at the real page scripts
    for path in [ROOT / "app.py", *page_files]:
        deps = _imports(path)
        for forbidden in (
            "smartlead.client",
            "smartlead.bulk",
            "smartlead.window_fetch",
            "smartlead.history.store",
        ):
            assert forbidden not in deps, (path.name, forbidden)
