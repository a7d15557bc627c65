"""The CLI is a thin layer over check(): same findings, documented exit codes and formats."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import CLAIMS, REPO

import validate
from validate import cli
from validate.render import render

MakeRoot = Callable[..., Path]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "validate", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


# --- json equals the API ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [None, "quote-not-in-source", "missing-cell-required", "seed-without-source", "incorrect-label", "schema-error"],
)
def test_json_output_equals_the_api(fault: str | None, make_root: MakeRoot, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(fault)
    expected = [f.public() for f in validate.check(root)]
    assert (expected == []) == (fault is None)
    status = cli.main(["check", "--root", str(root), "--format", "json"])
    out = capsys.readouterr().out
    assert json.loads(out) == expected
    assert status == (0 if fault is None else 1)


def test_json_output_of_the_command_equals_the_api(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root("quote-not-in-source")
    done = _run("check", "--root", str(root), "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed == [f.public() for f in validate.check(root)]
    assert [list(item) for item in parsed] == [["file", "row", "column", "check", "message"]]
    assert "Nearly a quarter of those held" in parsed[0]["message"]  # non-ASCII-safe, unescaped text


@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown"])
def test_a_seed_name_that_is_not_utf8_is_reported_in_utf8(make_root: MakeRoot, tmp_path: Path, fmt: str) -> None:
    # git can commit such a name; Python sees lone surrogates, which strict UTF-8 output (the
    # setting under an en_US.UTF-8 locale, as on CI runners) cannot write.
    root = make_root()
    with open(os.fsencode(root / "seeds") + b"/bad\xffname.txt", "wb") as seed:
        seed.write(b"A text.\n")
    done = subprocess.run(
        [sys.executable, "-m", "validate", "check", "--root", str(root), "--format", fmt],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")  # strict: raises if the output is not UTF-8
    assert "seed-without-source" in out and "udcffname.txt" in out


# --- exit codes ------------------------------------------------------------------------------


def test_exit_codes_of_the_command(make_root: MakeRoot, tmp_path: Path) -> None:
    valid, broken = make_root(), make_root("type-error")
    assert _run("check", "--root", str(valid), cwd=tmp_path).returncode == 0
    done = _run("check", "--root", str(broken), cwd=tmp_path)
    assert done.returncode == 1
    assert "type-error" in done.stdout
    missing = _run("check", "--root", str(tmp_path / "no-such-root"), cwd=tmp_path)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert "no-such-root" in missing.stderr
    assert _run("check", "--root", str(valid), "--format", "xml", cwd=tmp_path).returncode == 2
    assert _run(cwd=tmp_path).returncode == 2  # no command


def test_exit_codes_of_main(make_root: MakeRoot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--root", str(make_root())]) == 0
    assert capsys.readouterr().out == "valid: no findings\n"
    assert cli.main(["check", "--root", str(make_root("period-order"))]) == 1
    assert "[period-order]" in capsys.readouterr().out
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("not a dataset root\n", encoding="utf-8")
    assert cli.main(["check", "--root", str(not_a_folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is not a folder" in captured.err
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--format", "xml"])
    assert exc.value.code == 2


@pytest.mark.parametrize("args", [["claims"], ["statistics"], ["claims", "--format", "json"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(
    make_root: MakeRoot, tmp_path: Path, args: list[str]
) -> None:
    # As `claims claims | head -2`: here the reader is gone before the first byte is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "validate", *args, "--root", str(make_root())],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", "replace")
    assert process.wait(timeout=120) == cli.EXIT_PIPE
    assert err == ""


def test_build_says_it_writes_the_site(make_root: MakeRoot, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    assert "the static site (build/site)" in " ".join(capsys.readouterr().out.split())
    root = make_root()
    assert cli.main(["build", "--root", str(root)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"wrote {root / 'build' / 'site'} (the static site: open index.html)"
    assert (root / "build" / "site" / "index.html").is_file()


# --- github annotations ----------------------------------------------------------------------

ANNOTATION = re.compile(r"::error file=[^,:]+(?:,line=\d+)?(?:,col=\d+)?,title=[^:]+::[^\r\n]+")


def _github(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status = cli.main(["check", "--root", str(root), "--format", "github"])
    assert status == 1
    return capsys.readouterr().out.splitlines()


def test_github_annotation_points_at_the_physical_line_and_column(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    # Row 6; the base fixture's row 3 spans two lines, so the row starts on line 7. note is column 13.
    (line,) = _github(make_root("formula-injection"), capsys)
    (finding,) = validate.check(make_root("formula-injection"))
    assert line == f"::error file={CLAIMS},line=7,col=18,title=formula-injection (note)::{finding.message}"


@pytest.mark.parametrize("fault", ["missing-cell-required", "incorrect-label", "seed-without-source", "schema-error"])
def test_every_github_line_is_an_annotation(
    fault: str, make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(fault)
    lines = _github(root, capsys)
    assert len(lines) == len(validate.check(root))
    for line in lines:
        assert ANNOTATION.fullmatch(line), line


def test_github_annotation_escapes_its_data() -> None:
    finding = validate.Finding(file="data/a,b:c.csv", row=2, column="x", check="c", message="50% done\r\nnext", line=3)
    assert render(validate.Report(findings=[finding]), "github") == (
        # A CR or LF from the data is shown, not kept: GitHub would make %0D%0A a line break again.
        "::error file=data/a%2Cb%3Ac.csv,line=3,title=c (x)::50%25 done\\r\\nnext\n"
    )


def test_github_column_is_the_position_in_the_file(make_root: MakeRoot, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root("incorrect-label")  # attributed_to and note swapped: note is column 12 here
    path = root / CLAIMS
    path.write_text(path.read_text(encoding="utf-8").replace("The blog calls", "=The blog calls"), encoding="utf-8")
    lines = [x for x in _github(root, capsys) if "formula-injection" in x]
    assert len(lines) == 1
    assert ",line=8,col=12," in lines[0]


# --- help ------------------------------------------------------------------------------------


def _commands() -> list[str]:
    parser = cli._parser()
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert found, "the CLI has no subcommands"
    return sorted(found[0].choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_an_example_in_its_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0
    assert "example" in capsys.readouterr().out.lower()


def test_help_of_the_command_runs(tmp_path: Path) -> None:
    done = _run("check", "--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "example" in done.stdout


def test_check_without_root_checks_the_dataset_around_the_working_directory(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a pre-commit hook runs it: an installed `claims`, in some repository, no ROOT given."""
    claims = real_copy / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",exact,", ",roughly,", 1)
    claims.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(real_copy / "seeds")  # a subfolder: the root is found above it
    assert cli.main(["check", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {(f["file"], f["row"], f["check"]) for f in found} == {
        ("datasets/claims.csv", 3, "constraint-error"),
        ("datasets/claims.csv", 3, "value-text-mismatch"),
    }


def test_no_dataset_root_anywhere_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not even the repository the package is installed from (it has a dataset): outside any
    # dataset, a check of some other data would say "valid" about data nobody asked for.
    assert (validate.paths.REPO_ROOT / "datapackage.json").is_file()
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["build"], ["sql", "SELECT 1"]):
        assert cli.main(command) == 2
        assert "no dataset root" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


# What the CLI may take from the package beyond the public API: how results are written, and the
# constants its options show. An operation imported from a submodule belongs in validate.__all__.
CLI_PRESENTATION = {
    "validate.errors": {"ClaimsError", "InvalidData", "UsageError", "require_utf8"},
    "validate.findings": {"DEFAULT_MAX_FINDINGS"},
    "validate.paths": {"find_root", "given_root"},  # where the root is: found, or the one given
    "validate.progress": {"Phases", "wanted"},
    "validate.publishing.connection": {"QUERY_TIMEOUT"},
    "validate.render": {"FORMATS", "json_safe", "render", "visible"},
    "validate.rules.check": {"PHASES"},
    "validate.publishing.query": {"rendered"},
    "validate.contributing.candidates_output": {
        "candidate_rows",
        "candidates_json",
        "candidates_left",
        "candidates_text",
    },
    "validate.contributing.diff": {"render"},
}


def test_the_cli_calls_only_the_public_api() -> None:
    import ast

    tree = ast.parse((REPO / "validate" / "cli.py").read_text(encoding="utf-8"))
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("validate")
        for alias in node.names
    }
    beyond = sorted((m, n) for m, n in imported if n not in CLI_PRESENTATION.get(m, set()))
    assert beyond == [], f"validate/cli.py imports operations from submodules: {beyond}; export them from validate"
    called = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "validate"
    }
    assert called <= set(validate.__all__)
    for name in validate.__all__:
        assert callable(getattr(validate, name)), name


@pytest.mark.parametrize(
    "command", [["check"], ["candidates"], ["claims"], ["statistics"], ["diff", "HEAD"], ["build"]]
)
def test_every_command_refuses_a_root_that_is_no_folder_alike(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    assert cli.main([*command, "--root", str(file)]) == 2
    assert f"{file} is not a folder: give the root of a dataset" in capsys.readouterr().err


def test_a_panic_in_native_code_is_an_internal_error_not_a_traceback(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # polars raises its PanicException as a BaseException, past any `except Exception`.
    import polars as pl

    def panic(args: argparse.Namespace) -> int:
        raise pl.exceptions.PanicException("index out of bounds")

    monkeypatch.setitem(cli.COMMANDS, "check", panic)
    assert cli.main(["check", "--root", str(real_copy)]) == 3
    err = capsys.readouterr().err
    assert "internal error (PanicException: index out of bounds)" in err and "Traceback" not in err


def test_a_cap_on_findings_past_any_count_is_refused_by_its_size(capsys: pytest.CaptureFixture[str]) -> None:
    # It reached polars as a count and overflowed it: an internal error.
    with pytest.raises(SystemExit):
        cli.main(["check", "--max-findings", "99999999999999999999999"])
    assert "is more than 1000000000: for no cap at all, give 0" in capsys.readouterr().err


def test_an_internal_errors_text_is_shown_escaped(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception's text may quote a cell or a file name: printed as it was, its escapes acted."""

    def fail(args: argparse.Namespace) -> int:
        raise ValueError("bad cell '\x1b]0;title\x07\x1b[2J'")

    monkeypatch.setitem(cli.COMMANDS, "check", fail)
    assert cli.main(["check", "--root", str(real_copy)]) == 3
    err = capsys.readouterr().err
    assert "internal error (ValueError: bad cell '\\x1b]0;title\\x07\\x1b[2J')" in err
    assert "\x1b" not in err and "\x07" not in err
