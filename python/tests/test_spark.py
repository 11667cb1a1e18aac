"""examples/spark_clean.py in Spark's local mode (local[2]) against `zhclean clean --jsonl`.

Needs pyspark, pyarrow and pandas (and Java 17); `.ci/run` installs them. Without pyspark these tests
are skipped, and say so.
"""

import json
import pathlib
import subprocess
import sys

import pytest

from conftest import run_cli

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")


def spark_clean(root, args):
    script = root / "examples" / "spark_clean.py"
    return subprocess.run(
        [sys.executable, str(script), "--master", "local[2]", *args],
        capture_output=True,
        text=True,
    )


def part_lines(directory: pathlib.Path):
    """The output's lines, part files in name order: the records in input order."""
    lines = []
    for part in sorted(directory.glob("part-*")):
        lines.extend(part.read_text("utf-8").splitlines())
    return lines


def test_jsonl_equals_the_program(root, cli, tmp_path):
    # Every fixture shard, nested fields and bad lines included, as one input of 2 partitions.
    shard = tmp_path / "in.jsonl"
    fixtures = root / "fixtures" / "jsonl"
    seeds = (fixtures / "seeds.jsonl").read_text("utf-8")
    bad = (fixtures / "bad.jsonl").read_text("utf-8")
    shard.write_text((seeds + bad.rstrip("\n") + "\n") * 20, "utf-8")
    expected = run_cli(cli, ["clean", "-q", "--jsonl", str(shard)])
    assert expected.returncode == 2  # the bad lines
    out = tmp_path / "out"
    run = spark_clean(root, ["--input", str(shard), "--output", str(out)])
    assert run.returncode == 2, run.stderr
    assert "records not cleaned (copied unchanged)" in run.stderr
    got = part_lines(out)
    want = expected.stdout.decode("utf-8").splitlines()
    assert len(got) == len(want)
    for line, (mine, theirs) in enumerate(zip(got, want), 1):
        try:
            theirs_value = json.loads(theirs)
        except ValueError:
            assert mine == theirs, line  # not JSON: copied as it was
            continue
        if mine == theirs:
            continue
        # Rewritten by Python's json: the same values (the field cleaned as the program did).
        assert json.loads(mine) == theirs_value, line


def test_nested_field(root, cli, tmp_path):
    nested = root / "fixtures" / "jsonl" / "nested.jsonl"
    field = "doc.body"
    expected = run_cli(cli, ["clean", "-q", "--jsonl", "--field", field, str(nested)])
    out = tmp_path / "out"
    run = spark_clean(root, ["--input", str(nested), "--output", str(out), "--field", field])
    assert run.returncode == expected.returncode, run.stderr
    want = [json.loads(l) for l in expected.stdout.decode("utf-8").splitlines()]
    assert [json.loads(l) for l in part_lines(out)] == want


def test_parquet(root, cli, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    seeds = root / "fixtures" / "jsonl" / "seeds.jsonl"
    records = [json.loads(l) for l in seeds.read_text("utf-8").splitlines() if l.strip()]
    table = pa.table({"n": list(range(len(records))), "text": [r["text"] for r in records]})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    expected = run_cli(cli, ["clean", "-q", "--jsonl", str(seeds)])
    want = [json.loads(l)["text"] for l in expected.stdout.decode("utf-8").splitlines()]
    out = tmp_path / "out.parquet"
    run = spark_clean(root, ["--input", str(source), "--output", str(out)])
    assert run.returncode == 0, run.stderr
    result = pq.read_table(out).to_pydict()
    rows = sorted(zip(result["n"], result["text"]))
    assert [text for _, text in rows] == want
    assert [n for n, _ in rows] == list(range(len(records)))
