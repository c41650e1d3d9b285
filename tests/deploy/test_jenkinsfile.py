"""The Jenkinsfile, parsed as Groovy: its stages, and every `fab` call it makes exists.

groovy-parser gives a full Groovy 3 syntax tree; this reads its leaves in order and
tracks `name(args) { ... }` blocks, which is the whole shape of a declarative pipeline.
"""

import inspect
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import pytest
from groovy_parser.parser import parse_and_digest_groovy_content

import fabfile

JENKINSFILE = Path(__file__).resolve().parents[2] / "Jenkinsfile"
STAGES = [
    "Build",
    "Lint",
    "Tests",
    "Migration checks",
    "Deploy PR instance",
    "Deploy staging",
    "Deploy testing",
    "Deploy live",
]


@dataclass(frozen=True)
class Call:
    """`name 'arg', ...` or `name('arg') { ... }`, inside the blocks named in `within`."""

    within: tuple[str, ...]
    name: str
    args: tuple[str, ...]


def leaves(node: dict) -> Iterator[tuple[str, str]]:
    if "leaf" in node:
        yield node["leaf"], node["value"]
    for child in node.get("children", []):
        yield from leaves(child)


def calls(tree: dict) -> list[Call]:
    found: list[Call] = []
    blocks: list[str] = []
    name, args = "", []

    def flush() -> None:
        if name:
            found.append(Call(tuple(blocks), name, tuple(args)))

    for kind, value in leaves(tree):
        if kind == "IDENTIFIER":
            flush()
            name, args = value, []
        elif kind == "STRING_LITERAL" and name:
            args.append(value)
        elif kind == "LBRACE":
            flush()
            blocks.append(f"{name}:{args[0]}" if args else name)
            name, args = "", []
        elif kind == "RBRACE":
            flush()
            blocks.pop()
            name, args = "", []
    return found


@pytest.fixture(scope="module")
def pipeline() -> list[Call]:
    return calls(parse_and_digest_groovy_content(JENKINSFILE.read_text()))


def stage_of(call: Call) -> str:
    return next((block[len("stage:") :] for block in call.within if block.startswith("stage:")), "")


def fab_commands(pipeline: list[Call]) -> list[tuple[str, list[str]]]:
    commands = []
    for call in pipeline:
        if call.name == "sh" and call.args and "bin/fab" in call.args[0]:
            words = shlex.split(call.args[0])
            commands.append((stage_of(call), words[words.index("bin/fab") + 1 :]))
    return commands


def test_stages_run_in_the_pipeline_order(pipeline):
    names = [call.args[0] for call in pipeline if call.name == "stage"]

    assert names == STAGES


def test_builds_never_overlap_and_reports_are_published(pipeline):
    names = {call.name for call in pipeline}

    assert {"disableConcurrentBuilds", "junit", "recordCoverage", "recordIssues"} <= names
    junit = next(call for call in pipeline if call.name == "junit")
    # Both of make test's reports: the suite's and the deploy tests' beside it.
    (pattern,) = junit.args
    assert fnmatch("reports/junit.xml", pattern)
    assert fnmatch("reports/junit-deploy.xml", pattern)


def test_every_deploy_stage_is_one_fab_call(pipeline):
    for stage in STAGES[4:]:
        shells = [call for call in pipeline if call.name == "sh" and stage_of(call) == stage]
        assert len(shells) == 1, stage
        assert "bin/fab " in shells[0].args[0], stage


def test_live_waits_for_a_live_deployer_and_deploys_under_the_lock(pipeline):
    live = [call for call in pipeline if stage_of(call) == "Deploy live"]
    submitter = next(call for call in live if call.name == "submitter")
    deploy = next(call for call in live if call.name == "sh")

    assert submitter.args == ("live-deployers",)
    assert "input" in submitter.within
    assert "lock:rms-live" in deploy.within
    assert any(call.name == "branch" and call.args == ("main",) for call in live)


def test_main_deploys_staging_then_testing_and_prs_their_instance(pipeline):
    commands = fab_commands(pipeline)

    assert [(stage, words[:2]) for stage, words in commands] == [
        ("Deploy PR instance", ["deploy-pr", "$CHANGE_AUTHOR"]),
        ("Deploy staging", ["deploy", "staging"]),
        ("Deploy testing", ["deploy", "testing"]),
        ("Deploy live", ["deploy", "live"]),
    ]


def task_signature(name: str) -> inspect.Signature:
    task = getattr(fabfile, name.replace("-", "_"), None)
    assert task is not None and hasattr(task, "body"), f"fabfile has no task {name!r}"
    return inspect.signature(task.body)


def split_arguments(words: list[str], defaults: dict) -> tuple[list[str], list[str]]:
    """Positional arguments and option names; an option whose default is not a flag
    (a bool) takes the next word as its value, as invoke parses it."""
    positional, options = [], []
    remaining = iter(words)
    for word in remaining:
        if not word.startswith("--"):
            positional.append(word)
            continue
        option = word[2:].replace("-", "_")
        assert option in defaults, f"no option --{word[2:]}"
        options.append(option)
        if not isinstance(defaults[option], bool):
            next(remaining)
    return positional, options


def test_every_fab_call_names_a_task_with_those_arguments(pipeline):
    for stage, (task, *words) in fab_commands(pipeline):
        parameters = list(task_signature(task).parameters.values())[1:]  # after the context
        required = [p.name for p in parameters if p.default is inspect.Parameter.empty]
        defaults = {p.name: p.default for p in parameters if p.name not in required}

        positional, _ = split_arguments(words, defaults)

        assert len(positional) == len(required), (stage, task, words)
