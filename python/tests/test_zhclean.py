"""The Python module against the `zhclean` program: same output, same messages."""

import json
import pathlib
import threading

import pytest

import zhclean
from conftest import run_cli

MESSY = "　　根据《條例》,现将情况报告如下:\r\n\r\n[bookmark: _GoBack]一、總體情況\r\n"


def texts_of(root: pathlib.Path):
    """Documents of the repository's fixtures: export samples and the encoding set."""
    exports = sorted((root / "fixtures" / "exports").glob("*/*.txt"))
    encodings = sorted((root / "fixtures" / "encodings").glob("*.txt"))
    assert exports and encodings
    return exports + encodings


def test_clean_str_as_the_library_doc_says():
    assert zhclean.clean(MESSY) == "根据《條例》，现将情况报告如下：\n一、总体情况\n"


def test_clean_equals_the_program_on_every_fixture(root, cli):
    for path in texts_of(root):
        data = path.read_bytes()
        expected = run_cli(cli, ["clean", "-q", "-"], data)
        if expected.returncode != 0:
            with pytest.raises(zhclean.Error):
                zhclean.clean(data)
            continue
        assert zhclean.clean(data) == expected.stdout.decode("utf-8"), path
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        # A str is cleaned as its UTF-8 bytes: the same as the file.
        assert zhclean.clean(text) == expected.stdout.decode("utf-8"), path


def test_options_are_the_programs(root, cli):
    data = (root / "fixtures" / "encodings" / "traditional.utf8.txt").read_bytes()
    for args, kwargs in [
        (["--to", "tw"], {"to": "tw"}),
        (["--convert", "never"], {"convert": "never"}),
        (["--disable", "indentation", "--blank-line"], {"disable": ["indentation"], "blank_line": True}),
        (["--enable", "pinyin-annotation"], {"enable": ["pinyin-annotation"]}),
    ]:
        expected = run_cli(cli, ["clean", "-q", *args, "-"], data).stdout.decode("utf-8")
        assert zhclean.clean(data, **kwargs) == expected, args
        assert zhclean.Cleaner(**kwargs).clean(data) == expected, args


def test_encoding_option(root):
    gbk = (root / "fixtures" / "encodings" / "simplified.gbk.txt").read_bytes()
    assert zhclean.clean(gbk, encoding="gbk") == zhclean.clean(gbk)
    with pytest.raises(zhclean.Error, match="--encoding klingon: unknown encoding"):
        zhclean.clean(gbk, encoding="klingon")


def test_batch_equals_the_programs_jsonl_mode(root, cli):
    seeds = root / "fixtures" / "jsonl" / "seeds.jsonl"
    records = [json.loads(line) for line in seeds.read_text("utf-8").splitlines() if line.strip()]
    out = run_cli(cli, ["clean", "-q", "--jsonl", str(seeds)])
    assert out.returncode == 0, out.stderr
    expected = [json.loads(line)["text"] for line in out.stdout.decode("utf-8").splitlines()]
    texts = [record["text"] for record in records]
    cleaner = zhclean.Cleaner()
    for threads in (None, 1, 2):
        assert cleaner.clean_batch(texts, threads=threads) == expected
    # Many texts, so that the work is split between threads: still in order.
    many = texts * 50
    assert cleaner.clean_batch(many, threads=2) == expected * 50


def test_errors_carry_the_programs_messages(cli):
    out = run_cli(cli, ["clean", "--disable", "no-such-rule", "-"], b"x")
    assert out.returncode != 0
    message = "unknown rule 'no-such-rule' (run `zhclean rules` to list them)"
    assert message in out.stderr.decode("utf-8")
    with pytest.raises(zhclean.Error) as raised:
        zhclean.Cleaner(disable=["no-such-rule"])
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)
    with pytest.raises(zhclean.Error, match="'klingon' for '--to'"):
        zhclean.clean("x", to="klingon")
    with pytest.raises(zhclean.Error, match="'sometimes' for '--convert'"):
        zhclean.Cleaner(convert="sometimes")
    with pytest.raises(TypeError):
        zhclean.clean(3)


def test_binary_text_raises_or_is_kept():
    binary = b"\x00" * 64 + bytes(range(256)) * 4
    with pytest.raises(zhclean.Error, match="not a text file"):
        zhclean.clean(binary)
    # A PDF's bytes go to its reader (pdftotext), which finds no PDF in these.
    with pytest.raises(zhclean.Error, match="PDF"):
        zhclean.clean(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    binary = "\x00" * 64 + "正文"
    cleaner = zhclean.Cleaner()
    with pytest.raises(zhclean.Error, match="text 1: not a text file"):
        cleaner.clean_batch(["好", binary])
    # As `--jsonl` copies such a record through unchanged.
    assert cleaner.clean_batch(["好", binary], errors="keep") == ["好\n", binary]
    assert cleaner.clean_batch(["好", binary], errors="none") == ["好\n", None]
    with pytest.raises(ValueError):
        cleaner.clean_batch(["好"], errors="ignore")
    with pytest.raises(ValueError):
        cleaner.clean_batch(["好"], threads=0)


def test_clean_with_report_counts_rules():
    cleaned, report = zhclean.Cleaner().clean_with_report(MESSY)
    assert cleaned == zhclean.clean(MESSY)
    assert report["changed"] is True
    assert report["clean"]["rules"]["bookmark"] == 1
    assert report["clean"]["rules"]["indentation"] == 1
    assert report["decode"]["encoding"] == "UTF-8"
    same, report = zhclean.Cleaner().clean_with_report("一、总体情况\n")
    assert same == "一、总体情况\n"
    assert report["changed"] is False


def test_convert(cli):
    assert zhclean.convert("這裡的資料") == "这里的资料"
    assert zhclean.convert("这里的数据", "s2twp") == "這裡的資料"
    expected = run_cli(cli, ["convert", "-c", "s2hk", "-"], "头发里的面条\n".encode()).stdout
    assert zhclean.convert("头发里的面条\n", config="s2hk") == expected.decode("utf-8")
    with pytest.raises(zhclean.Error, match="unknown conversion config 'x2y'"):
        zhclean.convert("字", "x2y")


def test_detect(root, cli):
    gbk = (root / "fixtures" / "encodings" / "simplified.gbk.txt").read_bytes()
    found = zhclean.detect(gbk)
    out = run_cli(cli, ["detect", "--json", "-"], gbk)
    expected = json.loads(out.stdout)
    assert found["binary"] is None
    for key in ("encoding", "confidence", "script", "artifacts", "bytes", "lines"):
        assert found[key] == expected[key], key
    assert zhclean.detect(b"%PDF-1.7\n" + bytes(range(256)))["binary"].startswith("not a text file")


def test_rules_are_the_programs(cli):
    out = run_cli(cli, ["rules", "--json"])
    names = [json.loads(line)["name"] for line in out.stdout.decode("utf-8").splitlines()]
    assert zhclean.rules() == names


def test_batch_releases_the_gil():
    """Another Python thread runs while a batch is cleaned: a ticker counts during it."""
    cleaner = zhclean.Cleaner()
    texts = [MESSY * 200] * 400
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    before = len(ticks)
    cleaner.clean_batch(texts, threads=1)
    during = len(ticks) - before
    done.set()
    ticker.join()
    # With the GIL held the ticker could not append at all while the batch ran.
    assert during > 5


DOCUMENTS = ["simplified.docx", "simplified.odt", "simplified.doc", "simplified.epub",
             "traditional.docx", "simplified.html", "html-report.html", "html-gbk-portal.html"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_bytes_of_a_document_are_read_as_the_program_reads_the_file(root, cli, name):
    """`clean(open(path, "rb").read())`: the document's text, told by its bytes as the program
    tells a file on its standard input, equal to what the program writes for it."""
    data = (root / "fixtures" / "documents" / name).read_bytes()
    expected = run_cli(cli, ["clean", "-q", "-"], data)
    assert expected.returncode == 0, expected.stderr
    cleaned = zhclean.clean(data)
    assert cleaned == expected.stdout.decode("utf-8")
    assert "PK" not in cleaned and "<p" not in cleaned and "\x00" not in cleaned
    cleaner = zhclean.Cleaner()
    assert cleaner.clean(data) == cleaned
    text, report = cleaner.clean_with_report(data)
    assert text == cleaned
    assert report["format"] == name.rsplit(".", 1)[1]


def test_a_document_s_body_comes_through_bytes(root):
    data = (root / "fixtures" / "documents" / "simplified.docx").read_bytes()
    cleaned = zhclean.clean(data)
    assert "加强组织领导" in cleaned
    # A str is text whatever it holds: only bytes are told apart as files are.
    assert zhclean.clean("<!DOCTYPE html><p>正文</p>") == "<!DOCTYPE html><p>正文</p>\n"


def test_a_damaged_document_raises_the_programs_message(root, cli):
    data = (root / "fixtures" / "documents" / "simplified.docx").read_bytes()
    half = data[: len(data) // 2]
    out = run_cli(cli, ["clean", "-q", "-"], half)
    assert out.returncode != 0
    with pytest.raises(zhclean.Error, match="cannot read this Word document") as raised:
        zhclean.clean(half)
    assert str(raised.value) in out.stderr.decode("utf-8")
