#!/usr/bin/env python3
"""Clean one text field of every record of a corpus with Spark: the `zhclean clean --jsonl`
of a cluster.

    python3 examples/spark_clean.py --input shards/ --output clean/ [--field text]
        [--master local[4] | spark://host:7077 | yarn] [--to simplified] [--disable RULE ...]

- JSONL in (files or directories; `.gz`, `.bz2` read as Spark reads them), JSONL out: a
  directory of part files which, read in name order, hold the records in their input order
  (nothing is shuffled). Parquet in (a `.parquet` path, or a directory of them), Parquet out,
  with the same schema.
- Each Spark task cleans its partition with one `zhclean.Cleaner` (built once per partition, the
  options resolved once), in Arrow batches (`mapInArrow`), one thread per task: Spark runs a
  task per core. The cleaned field equals `zhclean clean --jsonl` on the same records.
- Nothing is dropped: a line that is not a JSON object, a record whose field is missing or not
  a string, or a text zhclean cannot clean (binary) is written unchanged and counted; the job
  then exits 2, as the program does.
- JSONL records are parsed and written again with Python's json module: values, keys and their
  order are kept, but not the bytes of the line (spacing, `1.0e3` spelled `1000.0`, `\\u`
  escapes); `--field a.b` names a nested field. For Parquet, the field is a top-level string
  column.

Needs `pip install pyspark pyarrow pandas` (Spark's mapInArrow goes through its pandas layer) and this repository's package (`pip install .`) on the
driver and every executor (Java 17 for Spark itself).
"""

import argparse
import json
import os
import sys

import pyarrow as pa
from pyspark.sql import SparkSession

import zhclean


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="JSONL or Parquet file or directory")
    parser.add_argument("--output", required=True, help="output directory (must not exist)")
    parser.add_argument("--field", default="text", help="the field to clean; a.b for a nested one")
    parser.add_argument("--master", default=None, help="Spark master (default: Spark's own)")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default=None,
                        help="input format (default: parquet if the input's name ends in .parquet)")
    parser.add_argument("--to", default="simplified")
    parser.add_argument("--convert", default="auto")
    parser.add_argument("--enable", action="append", default=[])
    parser.add_argument("--disable", action="append", default=[])
    parser.add_argument("--blank-line", action="store_true")
    return parser.parse_args(argv)


def cleaner_options(args):
    return dict(to=args.to, convert=args.convert, enable=args.enable, disable=args.disable,
                blank_line=args.blank_line)


def jsonl_partition(options, path, bad):
    """mapInArrow over lines of JSONL (column `value`): each line with its field cleaned."""

    names = set(path)

    def unique(pairs):
        """An object, refused (as the program refuses it) if it gives a key of the field's path
        twice: which of the two would be the text is not for us to guess."""
        keys = [key for key, _ in pairs if key in names]
        if len(keys) != len(set(keys)):
            raise ValueError("a key of the field given twice")
        return dict(pairs)

    def clean_partition(batches):
        cleaner = zhclean.Cleaner(**options)
        for batch in batches:
            lines = batch.column("value").to_pylist()
            records, texts = [], []
            for i, line in enumerate(lines):
                if line is None or not line.strip():
                    continue
                try:
                    record = json.loads(line, object_pairs_hook=unique)
                except ValueError:
                    bad.add(1)
                    continue
                holder = record
                for key in path[:-1]:
                    holder = holder.get(key) if isinstance(holder, dict) else None
                if not isinstance(holder, dict) or not isinstance(holder.get(path[-1]), str):
                    bad.add(1)
                    continue
                records.append((i, record, holder))
                texts.append(holder[path[-1]])
            cleaned = cleaner.clean_batch(texts, threads=1, errors="none")
            out = list(lines)
            for (i, record, holder), original, text in zip(records, texts, cleaned):
                if text is None:
                    bad.add(1)  # zhclean could not clean it (binary): the line as it was
                elif text != original:
                    holder[path[-1]] = text
                    out[i] = json.dumps(record, ensure_ascii=False)
            yield pa.RecordBatch.from_arrays([pa.array(out, pa.string())], ["value"])

    return clean_partition


def parquet_partition(options, field, bad):
    """mapInArrow over Parquet batches: the `field` column cleaned, the others as they are."""

    def clean_partition(batches):
        cleaner = zhclean.Cleaner(**options)
        for batch in batches:
            index = batch.schema.get_field_index(field)
            values = batch.column(index).to_pylist()
            texts = [v for v in values if v is not None]
            cleaned = iter(cleaner.clean_batch(texts, threads=1, errors="none"))
            column = []
            for value in values:
                text = None if value is None else next(cleaned)
                if text is None:
                    bad.add(1)  # null, or not cleanable (binary): kept as it was
                    text = value
                column.append(text)
            arrays = list(batch.columns)
            arrays[index] = pa.array(column, batch.schema.field(index).type)
            yield pa.RecordBatch.from_arrays(arrays, schema=batch.schema)

    return clean_partition


def main(argv=None):
    args = parse_args(argv)
    options = cleaner_options(args)
    zhclean.Cleaner(**options)  # Options the module refuses fail here, before Spark starts.
    if (args.master or "").startswith("local"):
        # Local mode: the workers run this Python, which has zhclean (Spark would otherwise
        # start `python3` from the PATH). On a cluster, PYSPARK_PYTHON is the cluster's.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("zhclean")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    bad = spark.sparkContext.accumulator(0)
    parquet = args.format == "parquet" or (
        args.format is None and args.input.rstrip("/").endswith(".parquet"))
    if parquet:
        if "." in args.field:
            sys.exit("--field: Parquet input takes a top-level column")
        frame = spark.read.parquet(args.input)
        if frame.schema[args.field].dataType.typeName() != "string":
            sys.exit(f"--field: the column '{args.field}' is not a string column")
        frame = frame.mapInArrow(parquet_partition(options, args.field, bad), frame.schema)
        frame.write.parquet(args.output)
    else:
        lines = spark.read.text(args.input)
        path = args.field.split(".")
        cleaned = lines.mapInArrow(jsonl_partition(options, path, bad), lines.schema)
        cleaned.write.text(args.output)
    spark.stop()
    if bad.value:
        print(f"{bad.value} records not cleaned (copied unchanged)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
