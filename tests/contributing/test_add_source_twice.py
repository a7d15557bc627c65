"""add-source refuses a text already archived, and a seed name taken, naming the source that has it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import tree_digest

from validate.cli import main
from validate.contributing.add import add_source
from validate.errors import UsageError

MakeRoot = Callable[..., Path]


def test_the_same_bytes_under_another_name_are_refused_naming_their_source(
    make_root: MakeRoot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    copy = tmp_path / "article.txt"
    copy.write_bytes((root / "seeds" / "blog-post.txt").read_bytes())
    before = tree_digest(root)
    code = main(["add-source", str(copy), "--source-id", "other-copy", "--name", "article2.txt", "--title", "T",
                 "--publisher", "P", "--kind", "blog", "--root", str(root)])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err == (
        f"claims add-source: {copy} is already archived, byte for byte, as 'seeds/blog-post.txt', the text of source "
        "'blog-post': an article is archived once; cite that source (claims candidates blog-post lists its "
        "numbers), or archive the other text if this was the wrong file\n"
    )
    assert tree_digest(root) == before


def test_a_seed_name_taken_is_refused_naming_its_source(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    other = tmp_path / "other.txt"
    other.write_text("Another text, 12 numbers in it.\n", encoding="utf-8")
    with pytest.raises(
        UsageError, match=r"^seeds/county-report.txt already exists, the text of source 'county-report': "
    ):
        add_source(root, other, title="T", publisher="P", kind="news", name="county-report.txt")
    (root / "seeds" / "orphan.txt").write_text("No row names me.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists, a seed no source names yet"):
        add_source(root, other, title="T", publisher="P", kind="news", name="orphan.txt")


def test_the_same_text_in_other_bytes_is_refused_naming_its_source(make_root: MakeRoot, tmp_path: Path) -> None:
    """CRLF line ends and doubled spaces: other bytes, the same text once normalised, where quotes are found."""
    root = make_root()
    text = (root / "seeds" / "blog-post.txt").read_text(encoding="utf-8")
    copy = tmp_path / "article.txt"
    copy.write_bytes(text.replace("\n", "\r\n").replace(" ", "  ", 1).encode("utf-8"))
    before = tree_digest(root)
    with pytest.raises(UsageError, match=r"is the text of source 'blog-post' again, in other bytes"):
        add_source(root, copy, title="T", publisher="P", kind="blog", name="article2.txt")
    assert tree_digest(root) == before


@pytest.mark.parametrize(("name", "says"), [("a" * 300 + ".txt", "longer than 255 bytes"), ("CON.txt", "device name")])
def test_a_seed_name_no_file_system_takes_is_refused_before_it_is_tried(
    make_root: MakeRoot, tmp_path: Path, name: str, says: str
) -> None:
    # A name of 300 characters reached the file system's `exists()`: an internal error.
    root = make_root()
    article = tmp_path / "article.txt"
    article.write_text("A new article counted 12 people.\n", encoding="utf-8")
    before = tree_digest(root)
    with pytest.raises(UsageError, match=says):
        add_source(root, article, title="T", publisher="P", kind="news", name=name)
    assert tree_digest(root) == before


@pytest.mark.parametrize(
    ("make", "name", "says"),
    [
        (None, "county-report.txt/x.txt", "seeds/county-report.txt is a file, not a folder"),
        ("fifo", "ff/x.txt", "seeds/ff is a file, not a folder"),
        ("dir", "sub", "seeds/sub is a folder"),
        (None, ".", "names the seeds/ folder itself"),
    ],
)
def test_a_seed_name_that_is_no_file_s_place_is_refused(
    make_root: MakeRoot, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str | None, name: str, says: str
) -> None:
    # A name through a file or a FIFO reached the trial copy's or the commit's mkdir: an internal error.
    root = make_root()
    if make == "fifo":
        os.mkfifo(root / "seeds" / "ff")
    elif make == "dir":
        (root / "seeds" / "sub").mkdir()
    article = tmp_path / "article.txt"
    article.write_text("A new article counted 12 people.\n", encoding="utf-8")
    before = tree_digest(root)
    code = main(["add-source", str(article), "--name", name, "--title", "T", "--publisher", "P", "--kind", "news",
                 "--root", str(root)])  # fmt: skip
    assert code == 2
    assert says in capsys.readouterr().err
    assert tree_digest(root) == before


@pytest.mark.parametrize("given", [True, False], ids=["--source-id", "from the name"])
def test_a_source_id_taken_is_refused_alone(
    make_root: MakeRoot, tmp_path: Path, capsys: pytest.CaptureFixture[str], given: bool
) -> None:
    """One message, naming the source that has the id: the check's would have added that
    source's exclusions, not found in the new text."""
    root = make_root()
    other = tmp_path / "county-report.new.txt" if given else tmp_path / "county-report.txt"
    other.write_text("Another text, 12 numbers in it.\n", encoding="utf-8")
    before = tree_digest(root)
    options = ["--source-id", "county-report", "--name", "another.txt"] if given else ["--name", "county-report.txt2"]
    code = main(["add-source", str(other), *options, "--title", "T", "--publisher", "P", "--kind", "news",
                 "--root", str(root)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "claims add-source: source 'county-report' exists already (its text is 'seeds/county-report.txt'): a "
        "source_id names one source; give this one its own with --source-id\n"
    )
    assert tree_digest(root) == before
