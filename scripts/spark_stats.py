#!/usr/bin/env python3
"""Run a population through `coach` with Apache Spark's RDD.pipe, then merge.

Each Spark partition of the population is piped into its own
`coach stats - --format json` process, which prints one JSON line: that
shard's statistics. The driver writes the shards to OUT/shard-NNNNN.json and
adds them up with `coach stats --merge`, which is exact: the merged JSON is
byte-identical to `coach stats WHOLE --format json` (check it with --verify).

With --advice FILE the partitions are also piped into `coach batch -`, and
the advice lines are written to FILE in input order, with the "record" (and,
in error records, "line") numbers rewritten to count from the start of the
whole file, as a single `coach batch` run would.

Run by hand, not in CI. See docs/spark.md. Needs `pip install pyspark` and
Java 17 or later.

    python3 scripts/spark_stats.py pop.jsonl --partitions 4 --out /tmp/shards
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from itertools import chain

# A record's number, and an error record's line, at the start of a batch line.
RECORD_RE = re.compile(r'\{"record":(\d+),(?:"line":(\d+),)?')
ERROR_TAG = "!error "

# Runs `coach batch -` under /bin/sh so that a rejected record does not fail
# the Spark task: batch exits 1 when any record was rejected, and PySpark's
# pipe(checkCode=True) fails the task on any non-zero exit code. Exit 1 is
# accepted only when error records were actually written (exit 1 with no
# error record means the rule set did not load, which must fail the task).
# Error records go to a temporary file on the executor and are then printed
# after the advice, tagged with ERROR_TAG, so that they travel back with the
# partition's output instead of staying on the executor's disk.
BATCH_WRAPPER = (
    'coach="$1"; shift; '
    'err=$(mktemp "${TMPDIR:-/tmp}/coach-errors.XXXXXX") || exit 70; '
    '"$coach" batch - "$@" --errors "$err"; rc=$?; '
    'sed "s/^/' + ERROR_TAG + '/" "$err" || rc=70; '
    'if [ "$rc" -eq 1 ] && [ ! -s "$err" ]; then '
    'echo "coach batch exited 1 without an error record" >&2; rc=71; fi; '
    'rm -f "$err"; '
    'if [ "$rc" -le 1 ]; then exit 0; fi; '
    'echo "coach batch failed (wrapper exit $rc)" >&2; exit "$rc"'
)

# PySpark's pipe() starts the command with exactly this environment (it
# does not inherit the executor's), so give it a PATH for sh, sed and mktemp.
PIPE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"}


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Shard `coach stats` (and optionally `coach batch`) "
        "over Spark partitions with RDD.pipe, then merge the shard "
        "statistics with `coach stats --merge`.")
    p.add_argument("population",
                   help="population file, JSONL (one profile a line) or CSV "
                   "(header line first)")
    p.add_argument("--coach", default=".build/release/coach",
                   help="the coach binary; the same path must exist on every "
                   "executor (default: %(default)s)")
    p.add_argument("--partitions", type=int, default=4, metavar="N",
                   help="Spark partitions = shards = coach processes "
                   "(default: %(default)s)")
    p.add_argument("--master", default=None,
                   help="Spark master URL (default: local[N] with N = "
                   "--partitions)")
    p.add_argument("--rules", metavar="DIR",
                   help="rules directory, passed to every coach process "
                   "(default: the rules built into the binary)")
    p.add_argument("--input-format", choices=["csv", "jsonl"],
                   help="default: from the extension, else the first byte "
                   "('{' is JSONL)")
    p.add_argument("--jobs", type=int, default=1, metavar="K",
                   help="threads per coach process, i.e. per Spark task "
                   "(default: %(default)s, since Spark gives a task one core)")
    p.add_argument("--out", default="spark-stats-out", metavar="DIR",
                   help="directory for shard-NNNNN.json and merged.json "
                   "(default: %(default)s)")
    p.add_argument("--advice", metavar="OUT.jsonl",
                   help="also pipe the partitions through `coach batch -` "
                   "and write the advice here")
    p.add_argument("--errors", metavar="FILE",
                   help="error records of --advice (default: OUT.errors.jsonl "
                   "beside --advice)")
    p.add_argument("--keep-parts", action="store_true",
                   help="keep OUT/advice-parts/ (Spark's per-partition advice "
                   "files) after concatenating them")
    p.add_argument("--verify", action="store_true",
                   help="also run coach once over the whole file on this "
                   "machine and compare the bytes with the Spark result")
    args = p.parse_args(argv)
    if args.partitions < 1:
        p.error("--partitions must be at least 1")
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if args.errors and not args.advice:
        p.error("--errors needs --advice")
    return args


def detect_format(path):
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    with open(path, "rb") as f:
        first = f.read(64).lstrip()
    return "jsonl" if first.startswith(b"{") else "csv"


def rules_args(args):
    return ["--rules", args.rules] if args.rules else []


class Timer:
    def __init__(self):
        self.rows = []

    def run(self, label, fn):
        t = time.monotonic()
        result = fn()
        self.rows.append((label, time.monotonic() - t))
        log(f"{label}: {self.rows[-1][1]:.2f} s")
        return result


def log(msg):
    print(f"[spark_stats] {msg}", file=sys.stderr, flush=True)


def preflight(args):
    """Check on the driver that coach runs and the rule set loads."""
    cmd = [args.coach, "stats", "-", "--input-format", "jsonl",
           "--format", "json"] + rules_args(args)
    r = subprocess.run(cmd, input=b"", capture_output=True)
    if r.returncode != 0:
        sys.exit(f"spark_stats: {shlex.join(cmd)} failed with exit code "
                 f"{r.returncode}:\n{r.stderr.decode(errors='replace')}")
    m = re.search(rb'"ruleSet":\{"version":"([^"]*)"', r.stdout)
    return m.group(1).decode() if m else "?"


def clear_spark_output(path):
    """Remove a previous run's Spark output directory (and nothing else)."""
    if not os.path.exists(path):
        return
    names = os.listdir(path)
    ours = all(n.startswith(("part-", ".part-", "_SUCCESS", "._SUCCESS"))
               for n in names)
    if not ours:
        sys.exit(f"spark_stats: {path} exists and does not look like Spark "
                 "output; remove it or choose another --out")
    shutil.rmtree(path)


def main(argv):
    args = parse_args(argv)
    args.coach = os.path.abspath(args.coach)
    if not (os.path.isfile(args.coach) and os.access(args.coach, os.X_OK)):
        sys.exit(f"spark_stats: no executable coach at {args.coach} "
                 "(build it: swift build -c release)")
    if args.rules:
        args.rules = os.path.abspath(args.rules)
    population = os.path.abspath(args.population)
    if not os.path.isfile(population):
        sys.exit(f"spark_stats: no such file: {population}")
    fmt = args.input_format or detect_format(population)
    os.makedirs(args.out, exist_ok=True)
    timer = Timer()

    version = preflight(args)
    log(f"coach {args.coach}, rule set {version}, input {fmt}")

    # The Python workers must run the same Python as the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext

    n = args.partitions
    conf = (SparkConf()
            .setMaster(args.master or f"local[{n}]")
            .setAppName("coach-spark-stats")
            .set("spark.ui.showConsoleProgress", "false")
            # With the local file system's 32 MiB "blocks", textFile splits a
            # large file into more than N partitions; a huge block size makes
            # the split size file size / N, i.e. exactly N partitions.
            .set("spark.hadoop.fs.local.block.size", str(1 << 40)))
    sc = timer.run("start Spark", lambda: SparkContext(conf=conf))
    sc.setLogLevel("WARN")
    try:
        lines = sc.textFile("file://" + population, minPartitions=n)
        header = None
        if fmt == "csv":
            header = lines.first()
            # The header is the first line of partition 0: drop it there and
            # put it in front of every partition instead, so that each coach
            # process reads a complete CSV file.
            body = lines.mapPartitionsWithIndex(
                lambda i, it: (l for j, l in enumerate(it) if i or j))
            hdr = header
            records = body.mapPartitions(lambda it: chain([hdr], it))
        else:
            body = records = lines
        log(f"{records.getNumPartitions()} partitions, master "
            f"{sc.master}")

        common = (["--input-format", fmt, "--jobs", str(args.jobs)]
                  + rules_args(args))

        # --- statistics: one JSON line per partition -------------------
        stats_cmd = shlex.join([args.coach, "stats", "-", "--format", "json"]
                               + common)
        shards = timer.run(
            "stats via RDD.pipe",
            lambda: records.pipe(stats_cmd, env=PIPE_ENV,
                                 checkCode=True).collect())
        if len(shards) != records.getNumPartitions():
            sys.exit(f"spark_stats: expected one stats line per partition, "
                     f"got {len(shards)}")
        # `coach stats --merge` adds up shards whose rule IDs agree without
        # comparing their ruleSet versions, so check that every executor ran
        # the rule set that the driver's coach loaded.
        versions = [json.loads(s).get("ruleSet", {}).get("version")
                    for s in shards]
        if any(v != version for v in versions):
            sys.exit(f"spark_stats: shards were computed with rule sets "
                     f"{sorted(set(map(str, versions)))}, the driver's coach "
                     f"has {version}: every executor needs the same binary "
                     f"and rules")
        for old in os.listdir(args.out):
            if re.fullmatch(r"shard-\d{5}\.json", old):
                os.remove(os.path.join(args.out, old))
        shard_files = []
        for i, line in enumerate(shards):
            path = os.path.join(args.out, f"shard-{i:05d}.json")
            with open(path, "w") as f:
                f.write(line + "\n")
            shard_files.append(path)

        # --- advice (optional) -------------------------------------------
        if args.advice:
            parts_dir = os.path.abspath(os.path.join(args.out,
                                                     "advice-parts"))
            clear_spark_output(parts_dir)
            batch_cmd = shlex.join(["/bin/sh", "-c", BATCH_WRAPPER, "sh",
                                    args.coach] + common)
            timer.run(
                "advice via RDD.pipe",
                lambda: records.pipe(batch_cmd, env=PIPE_ENV, checkCode=True)
                .saveAsTextFile("file://" + parts_dir))
            errors_path = args.errors or re.sub(
                r"(\.jsonl)?$", ".errors.jsonl", args.advice, count=1)
            counts = timer.run(
                "concatenate advice",
                lambda: concatenate(parts_dir, args.advice, errors_path,
                                    body))
            advised, rejected, recounted = counts
            if recounted:
                log("error records after partition 0: counted input lines "
                    "per partition to renumber their \"line\" fields")
            log(f"advice: {advised} advised, {rejected} rejected -> "
                f"{args.advice}" + (f", errors -> {errors_path}"
                                    if rejected else ""))
            if not args.keep_parts:
                shutil.rmtree(parts_dir)
    finally:
        sc.stop()

    # --- merge --------------------------------------------------------------
    merged_json = os.path.join(args.out, "merged.json")
    merge = [args.coach, "stats", "--merge"] + shard_files
    with open(merged_json, "wb") as f:
        timer.run("merge (json)", lambda: subprocess.run(
            merge + ["--format", "json"], stdout=f, check=True))
    report = timer.run("merge (text)", lambda: subprocess.run(
        merge, stdout=subprocess.PIPE, check=True).stdout)
    sys.stdout.buffer.write(report)
    sys.stdout.flush()

    status = 0
    if args.verify:
        status = verify(args, population, fmt, merged_json, timer)

    log("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in timer.rows))
    return status


def concatenate(parts_dir, advice_path, errors_path, body):
    """Join Spark's part files in partition order, renumbering records.

    Each coach process numbers records (and error lines) from 1 within its
    partition; add the counts of the partitions before it. Records are
    counted from the output (every record yields exactly one advice or error
    line); input line offsets, needed only for error records after the first
    partition, cost one more pass over the input to count lines.
    """
    parts = sorted(n for n in os.listdir(parts_dir) if n.startswith("part-"))
    line_offsets = None
    if any(_has_error(os.path.join(parts_dir, n)) for n in parts[1:]):
        counts = body.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
        line_offsets = [sum(counts[:i]) for i in range(len(counts))]
    record_offset = advised = rejected = 0
    with open(advice_path, "w") as adv, open(errors_path, "w") as err:
        for i, name in enumerate(parts):
            in_part = 0
            line_offset = line_offsets[i] if line_offsets else 0
            with open(os.path.join(parts_dir, name)) as f:
                for line in f:
                    is_error = line.startswith(ERROR_TAG)
                    if is_error:
                        line = line[len(ERROR_TAG):]
                    if record_offset or line_offset:
                        line = _renumber(line, record_offset, line_offset)
                    (err if is_error else adv).write(line)
                    in_part += 1
                    rejected += is_error
                    advised += not is_error
            record_offset += in_part
    if rejected == 0:
        os.remove(errors_path)
    return advised, rejected, line_offsets is not None


def _has_error(path):
    with open(path) as f:
        return any(l.startswith(ERROR_TAG) for l in f)


def _renumber(line, record_offset, line_offset):
    m = RECORD_RE.match(line)
    if not m:
        return line
    new = '{"record":%d,' % (int(m.group(1)) + record_offset)
    if m.group(2) is not None:
        new += '"line":%d,' % (int(m.group(2)) + line_offset)
    return new + line[m.end():]


def verify(args, population, fmt, merged_json, timer):
    """Compare the Spark results with one coach run over the whole file."""
    single = os.path.join(args.out, "single.json")
    with open(single, "wb") as f:
        timer.run("single coach stats", lambda: subprocess.run(
            [args.coach, "stats", population, "--input-format", fmt,
             "--format", "json"] + rules_args(args), stdout=f, check=True))
    ok = _same(merged_json, single, "merged stats", "single-run stats")
    if args.advice:
        adv = os.path.join(args.out, "single-advice.jsonl")
        errs = os.path.join(args.out, "single-errors.jsonl")
        with open(adv, "wb") as f:
            rc = timer.run("single coach batch", lambda: subprocess.run(
                [args.coach, "batch", population, "--input-format", fmt,
                 "--errors", errs] + rules_args(args),
                stdout=f).returncode)
        if rc > 1:
            log(f"single coach batch exited {rc}")
            return 1
        ok &= _same(args.advice, adv, "Spark advice", "single-run advice")
        spark_errs = args.errors or re.sub(
            r"(\.jsonl)?$", ".errors.jsonl", args.advice, count=1)
        if os.path.getsize(errs) or os.path.exists(spark_errs):
            ok &= _same(spark_errs, errs, "Spark errors", "single-run errors")
    return 0 if ok else 1


def _same(a, b, name_a, name_b):
    if not os.path.exists(a):
        log(f"VERIFY FAILED: {a} does not exist")
        return False
    r = subprocess.run(["cmp", "-s", a, b])
    if r.returncode == 0:
        log(f"verify: {name_a} == {name_b} (byte-identical, "
            f"{os.path.getsize(a):,} bytes)")
        return True
    log(f"VERIFY FAILED: {name_a} ({a}) differs from {name_b} ({b})")
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
