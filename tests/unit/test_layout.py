"""The layout keeps its promises: no import cycles, each package imports only what its docstring allows, and
the serving processes never load the development kit."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "scoring")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (REPO / package).rglob("*.py")}


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """Every module of ours this file imports, at module level or inside functions."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for imported in names:
            # "from bot.ui import blocks" names a module; "from bot.ui.blocks import escape" does not.
            name = imported
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    found.discard(module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_even_inside_functions() -> None:
    assert _cycles(_graph()) == []


FORBIDDEN = {
    # The pure core: no Slack, no Redis, no network, nothing of the shell.
    "scoring": ("bot", "redis", "slack_bolt", "slack_sdk", "aiohttp"),
    # Pure builders and parsers: stored models yes, the store and everything that does I/O no.
    "bot.ui": (
        "redis",
        "slack_bolt",
        "slack_sdk.web",
        "aiohttp",
        "bot.storage.store",
        "bot.storage.connection",
        "bot.storage.installations",
        "bot.listeners",
        "bot.server",
        "bot.devkit",
    ),
    "bot.storage": ("bot.ui", "bot.listeners", "bot.server", "bot.devkit", "slack_bolt"),
    "bot.listeners": ("bot.devkit", "bot.server.app", "bot.server.web", "bot.server.runtime"),
    "bot.server": ("bot.devkit",),
}


def _all_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_imports_only_what_it_may(package: str) -> None:
    offending = []
    for name, path in _modules().items():
        if name != package and not name.startswith(package + "."):
            continue
        for imported in _all_imports(path):
            for banned in FORBIDDEN[package]:
                if imported == banned or imported.startswith(banned + "."):
                    offending.append(f"{name} imports {imported}")
    assert offending == []


def _loaded_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_serving_processes_never_load_the_development_kit() -> None:
    loaded = _loaded_after(
        "import bot.__main__\n"
        "from bot.server import runtime\n"
        "from bot.settings import load_settings\n"
        "runtime.build_web_app(load_settings({'SLACK_BOT_TOKEN': 'xoxb-1', 'SLACK_SIGNING_SECRET': 's'}))\n"
    )
    assert "bot.server.app" in loaded  # the check really built the app
    assert not {name for name in loaded if name.startswith("bot.devkit")}


def test_the_pure_builders_load_no_redis_and_no_slack_client() -> None:
    ui = sorted(name for name in _modules() if name.startswith("bot.ui."))
    loaded = _loaded_after("\n".join(f"import {name}" for name in ui))
    assert set(ui) <= loaded
    assert not {name for name in loaded if name.split(".")[0] in {"redis", "slack_bolt", "aiohttp"}}


# Bolt's documented surface: what any module may import from Bolt. Everything beyond it (the listener runner,
# the ack's internals, request parsing, private attributes, subclassing Bolt's classes) is for
# bot/server/bolt_seam.py alone, whose contract tests pin it against each Bolt we allow.
BOLT_SEAM = {REPO / "bot/server/bolt_seam.py", REPO / "tests/unit/server/test_bolt_seam.py"}
BOLT_PUBLIC_MODULES = frozenset(
    {
        "slack_bolt",
        "slack_bolt.async_app",
        "slack_bolt.adapter.asgi.async_handler",
        "slack_bolt.adapter.socket_mode.async_handler",
        "slack_bolt.authorization",
        "slack_bolt.authorization.async_authorize",
        "slack_bolt.oauth.async_oauth_settings",
        "slack_bolt.request.async_request",
        "slack_bolt.response",
    }
)


def _bolt_private_attributes() -> frozenset[str]:
    """Every underscored name a Bolt app, request, context, ack or runner has (dunders aside)."""
    from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext  # noqa: PLC0415
    from slack_bolt.request.async_request import AsyncBoltRequest  # noqa: PLC0415

    app = AsyncApp(token="xoxb-layout", signing_secret="s")
    objects: list[object] = [
        app,
        app.listener_runner,
        AsyncBoltRequest(body=""),
        AsyncBoltContext(),
        AsyncAck(),
    ]
    names = {name for thing in objects for name in [*dir(thing), *vars(thing)]}
    # Names this generic are other libraries' too (aiohttp's sites have a _server); they say nothing of Bolt.
    generic = {"_name", "_server", "_token"}
    return frozenset(n for n in names - generic if n.startswith("_") and not n.startswith("__"))


def _bolt_coupling(source: str, private: frozenset[str]) -> list[str]:
    """What this source takes from Bolt beyond its documented surface."""
    found = []
    tree = ast.parse(source)
    from_bolt: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "slack_bolt":
            from_bolt.update(alias.asname or alias.name for alias in node.names)
            if node.module not in BOLT_PUBLIC_MODULES:
                found.append(f"imports {node.module}")
        elif isinstance(node, ast.Import):
            found += [
                f"imports {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] == "slack_bolt" and alias.name not in BOLT_PUBLIC_MODULES
            ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
                found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.ClassDef):
            found += [
                f"subclasses {base.id}"
                for base in node.bases
                if isinstance(base, ast.Name) and base.id in from_bolt
            ]
    return found


def test_the_bolt_coupling_check_finds_each_kind() -> None:
    private = _bolt_private_attributes()
    assert {"_async_listener_runner", "_async_listeners"} <= private
    source = (
        "from slack_bolt.listener.asyncio_runner import AsyncioListenerRunner\n"
        "from slack_bolt.async_app import AsyncAck\n"
        "class Mine(AsyncAck): pass\n"
        "app._async_listener_runner = None\n"
    )
    assert sorted(_bolt_coupling(source, private)) == [
        "imports slack_bolt.listener.asyncio_runner",
        "subclasses AsyncAck",
        "uses ._async_listener_runner",
    ]


def test_only_the_bolt_seam_reaches_into_bolt() -> None:
    private = _bolt_private_attributes()
    offending = []
    for folder in ("bot", "bench", "tests"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path not in BOLT_SEAM:
                relative = path.relative_to(REPO)
                offending += [
                    f"{relative} {what}" for what in _bolt_coupling(path.read_text("utf-8"), private)
                ]
    assert offending == []
