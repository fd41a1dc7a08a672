#!/usr/bin/env python3
"""Run a population through `coach` on Apache Spark: statistics, advice, rejected records.

    python3 scripts/spark/coach_spark.py INPUT OUT [--advice] [--coach BIN] [--rules DIR]
    spark-submit [--files coach] [--archives rules.zip#rules] coach_spark.py INPUT OUT ...

INPUT is one population file (CSV or JSON Lines) and OUT a directory that must not exist yet;
both are URIs handed to Spark as given (a path, file://, hdfs://, s3a://, ...). The job ships
the `coach` binary (SparkContext.addFile) and the rules directory (SparkContext.addArchive, as
`rules`) to every executor and finds them there with SparkFiles: nothing of Coach's has to be
installed on the cluster. Each partition's records go to one `coach stats` process and, with
--advice (or when the partition has rejected records), to one `coach batch` process. The job
writes:

    OUT/stats.json     the shards merged with `coach stats --merge`: byte-identical to
                       `coach stats INPUT --format json`
    OUT/stats.txt      the same as a text report (also printed on standard output)
    OUT/errors.jsonl   every rejected record, numbered as in the whole file: byte-identical to
                       the --errors file of `coach batch INPUT`
    OUT/advice/        (--advice) part files in record order: together byte-identical to the
                       output of `coach batch INPUT`

Record and line numbers come from zipWithIndex. A rejected record never fails the job; the
exit code is 1 when the rules do not load, coach fails for another reason or an executor fails,
and then the executor's own message is printed. See docs/spark.md.

Standard library and pyspark only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from array import array

PROG = "coach_spark"

# coach's limit on a record's length (its --max-record-bytes default): a longer line is a
# record (`record-too-long`) even when it holds only blanks.
MAX_RECORD_BYTES = 1 << 20

# What the shipped rules are called on every executor (the archive's fragment).
RULES_NAME = "rules"

# The start of an advice line and of an error record, as `coach batch` writes them.
ADVICE_RECORD = re.compile(rb'\{"record":(\d+),')
ERROR_RECORD = re.compile(rb'\{"record":(\d+),"line":(\d+),')

# Input extensions coach knows, and compression suffixes that Spark's text reader undoes.
FORMAT_OF_EXTENSION = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy")

# The most tasks that check coach and the rules before the job reads any data.
PREFLIGHT_TASKS = 64

# About how many bytes of advice lines go to Spark as one item.
ADVICE_CHUNK_BYTES = 1 << 20

# How many rejected records the summary lists before pointing to errors.jsonl.
SHOWN_ERRORS = 20


class JobFailure(Exception):
    """A failure that ends the job with exit code 1 and a message (no trace)."""


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


# --- arguments -------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Statistics (merged with `coach stats --merge`), advice and rejected "
        "records of a population, computed by `coach` on Spark's executors.")
    p.add_argument("input", metavar="INPUT",
                   help="the population: one CSV or JSON Lines file, as a URI or path")
    p.add_argument("out", metavar="OUT",
                   help="the output directory (URI or path); it must not exist")
    p.add_argument("--advice", action="store_true",
                   help="also write every profile's advice as part files in OUT/advice/")
    p.add_argument("--coach", metavar="BIN",
                   help="the coach binary to ship: a path or URI (default: the file named "
                   "coach given to spark-submit --files, else .build-static/coach)")
    p.add_argument("--rules", metavar="DIR",
                   help="the rules to ship: a directory, or a .zip/.tgz/.tar.gz of one, as a "
                   "path or URI (default: an archive given to spark-submit --archives "
                   "as #rules, else the rules built into coach)")
    p.add_argument("--partitions", type=int, metavar="N",
                   help="the least number of partitions (Spark's textFile minPartitions; "
                   "default: Spark's default parallelism); a large file gets one partition "
                   "per input split at least")
    p.add_argument("--input-format", choices=["csv", "jsonl"],
                   help="default: from the extension, else from the first line that is not "
                   "blank ('{' is JSON Lines), as coach decides")
    p.add_argument("--jobs", type=int, default=1, metavar="K",
                   help="threads for each coach process (default 1: Spark runs a task on one "
                   "core; raise it together with spark.task.cpus)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="at most N recommendations per profile (default: the rule set's)")
    p.add_argument("--explain", action="store_true",
                   help="explain each recommendation in the advice (with --advice)")
    p.add_argument("--master", metavar="URL",
                   help="the Spark master (default: spark-submit's, else local[*])")
    p.add_argument("--overwrite", action="store_true",
                   help="delete OUT first if it exists")
    p.add_argument("--spark-log-level", default="FATAL", metavar="LEVEL",
                   help="Spark's own log level once it has started (default: %(default)s; the "
                   "job prints an executor's failure itself; WARN shows Spark's traces too)")
    args = p.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        p.error("--partitions must be at least 1")
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if args.limit is not None and args.limit < 0:
        p.error("--limit must not be negative")
    if args.explain and not args.advice:
        p.error("--explain needs --advice")
    return args


# --- what runs on the executors --------------------------------------------------------------


def is_blank(text, line_index):
    """Whether coach skips this line: only spaces, tabs and carriage returns (after a
    byte-order mark on the first line), and not over coach's record length."""
    if line_index == 0 and text.startswith("\ufeff"):
        text = text[1:]
    return len(text) <= MAX_RECORD_BYTES and not text.strip(" \t\r")


class Shipped:
    """The coach binary and the rules, where SparkFiles put them on this machine."""

    def __init__(self, coach_name, rules_shipped, rules_folder=None):
        self.coach_name = coach_name
        self.rules_shipped = rules_shipped
        # The driver's rules folder that was packed and shipped, if it was one.
        self.rules_folder = rules_folder

    def own_names(self, message):
        """coach's message with `rules/FILE:LINE:COL` naming the folder the user gave."""
        if self.rules_folder is None:
            return message
        folder = self.rules_folder.rstrip("/") + "/"
        return re.sub(r"(?m)^" + RULES_NAME + r"/(?=\S+:\d+:\d+: )", lambda _: folder, message)

    def resolve(self):
        from pyspark import SparkFiles

        def find(name):
            path = os.path.abspath(SparkFiles.get(name))
            # spark-submit --files on YARN puts the file in the container's working folder.
            if not os.path.exists(path) and os.path.exists(name):
                path = os.path.abspath(name)
            return path

        coach = find(self.coach_name)
        if not os.path.isfile(coach):
            raise CoachFailure(f"the shipped coach binary is not on this executor "
                               f"(looked for {coach})")
        if not os.access(coach, os.X_OK):
            try:
                os.chmod(coach, 0o755)
            except OSError as error:
                raise CoachFailure(f"the shipped coach binary {coach} is not executable: "
                                   f"{error}") from None
        rules = find(RULES_NAME) if self.rules_shipped else None
        if rules is not None and not os.path.isdir(rules):
            raise CoachFailure(f"the shipped rules are not on this executor "
                               f"(looked for the folder {rules})")
        return coach, rules


class CoachFailure(Exception):
    """coach (or what it needs on the executor) failed; the message is for the user."""


def coach_command(coach, rules, *arguments):
    """The command line, its working folder and its environment. coach runs in the folder
    that holds the rules, with `--rules rules`, so its messages name `rules/FILE:LINE:COL`.
    Its environment is empty but for the locale: it needs nothing from the executor's."""
    command = [coach, *arguments]
    cwd = None
    if rules is not None:
        cwd = os.path.dirname(rules)
        command += ["--rules", os.path.basename(rules)]
    return command, cwd, {"LC_ALL": "C"}


def describe_exit(code):
    if code < 0:
        import signal
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def failure_message(what, code, stderr):
    text = stderr.decode("utf-8", "replace").strip()
    return f"{what} {describe_exit(code)}" + (f":\n{text}" if text else " and printed nothing")


def preflight_task(shipped):
    """On one executor: coach runs and the rules load (coach stats over no records)."""
    def run(_index, _items):
        try:
            coach, rules = shipped.resolve()
            command, cwd, env = coach_command(
                coach, rules, "stats", "-", "--input-format", "jsonl", "--format", "json")
            try:
                done = subprocess.run(command, cwd=cwd, env=env, input=b"",
                                      capture_output=True)
            except OSError as error:
                raise CoachFailure(f"cannot run {coach}: {error}") from None
            if done.returncode != 0:
                raise CoachFailure(failure_message("coach stats", done.returncode, done.stderr))
            version = subprocess.run([coach, "--version"], env=env, capture_output=True)
            yield {"ok": True, "stats": done.stdout.decode(),
                   "version": version.stdout.decode().strip()}
        except CoachFailure as failure:
            yield {"ok": False, "message": str(failure)}
    return run


def partition_task(shipped, settings, header, report=None):
    """The work of one partition: its records to a local file, `coach stats` over it, and
    `coach batch` when advice is wanted or a record was rejected. With `report` (an
    accumulator) the advice lines are yielded for saveAsTextFile and the partition's summary
    goes to `report`; without it the summary is the one item yielded."""
    def run(index, records):
        summary = {"partition": index}
        spool = None
        try:
            coach, rules = shipped.resolve()
            spool = tempfile.mkdtemp(prefix="coach-spark-", dir=local_dir())
            population = os.path.join(spool, "population")
            lines = array("q")  # the file's line number of each record
            first_record = None
            replaced = 0  # records with U+FFFD, which may stand for bytes that were not UTF-8
            with open(population, "wb") as f:
                if header is not None:
                    f.write(header.encode() + b"\n")
                for (text, line_index), record_index in records:
                    if first_record is None:
                        first_record = record_index
                    f.write(text.encode())
                    f.write(b"\n")
                    lines.append(line_index + 1)
                    if "\ufffd" in text:
                        replaced += 1
            count = len(lines)
            summary.update(records=count, first=(first_record or 0) + 1, replaced=replaced)
            common = ["--input-format", settings["format"], "--jobs", str(settings["jobs"])]
            if settings["limit"] is not None:
                common += ["--limit", str(settings["limit"])]

            # Statistics: exit 0, or 1 after the JSON when records were rejected.
            started = time.monotonic()
            command, cwd, env = coach_command(
                coach, rules, "stats", population, "--format", "json", *common)
            done = run_coach(command, cwd, env)
            stats = parse_stats(done.stdout)
            if stats is None or done.returncode not in (0, 1) or (
                    done.returncode == 1 and not stats["rejected"]):
                raise CoachFailure(failure_message("coach stats", done.returncode, done.stderr))
            if stats["profiles"] + stats["rejected"] != count:
                raise CoachFailure(
                    f"coach stats counted {stats['profiles'] + stats['rejected']} records in "
                    f"partition {index}, the job gave it {count}: the numbering cannot be trusted")
            summary.update(stats=done.stdout.decode().strip(), rejected=stats["rejected"],
                           stats_seconds=time.monotonic() - started)

            # Advice and error records.
            errors = []
            if report is not None or stats["rejected"]:
                started = time.monotonic()
                offset = first_record or 0
                advised = 0
                errors_path = os.path.join(spool, "errors.jsonl")
                stderr_path = os.path.join(spool, "stderr")
                command, cwd, env = coach_command(
                    coach, rules, "batch", population, "--errors", errors_path, *common,
                    *(["--explain"] if settings["explain"] else []),
                    *([] if report is not None else ["--output", os.devnull]))
                with open(stderr_path, "wb") as stderr:
                    try:
                        process = subprocess.Popen(command, cwd=cwd, env=env,
                                                   stdin=subprocess.DEVNULL,
                                                   stdout=subprocess.PIPE, stderr=stderr)
                    except OSError as error:
                        raise CoachFailure(f"cannot run {coach}: {error}") from None
                    with process:
                        # About a megabyte of whole lines at a time, renumbered and handed to
                        # Spark as one item: saveAsTextFile ends each item with a newline, so
                        # the part file holds the same lines, at far less cost per line.
                        while chunk := process.stdout.readlines(ADVICE_CHUNK_BYTES):
                            renumbered = []
                            for line in chunk:
                                match = ADVICE_RECORD.match(line)
                                if not match or not line.endswith(b"\n"):
                                    process.kill()
                                    raise CoachFailure(
                                        "coach batch wrote a line that is not advice: "
                                        + line[:200].decode("utf-8", "replace"))
                                renumbered.append(b'{"record":%d,' % (int(match.group(1)) + offset))
                                renumbered.append(line[match.end():])
                            advised += len(chunk)
                            yield b"".join(renumbered)[:-1]
                    code = process.returncode
                with open(stderr_path, "rb") as f:
                    stderr_text = f.read()
                if code not in (0, 1):
                    raise CoachFailure(failure_message("coach batch", code, stderr_text))
                with open(errors_path, "rb") as f:
                    for line in f:
                        match = ERROR_RECORD.match(line)
                        if not match:
                            raise CoachFailure("coach batch wrote an error record of an "
                                               "unknown form: "
                                               + line[:200].decode("utf-8", "replace"))
                        local = int(match.group(1))
                        errors.append((b'{"record":%d,"line":%d,' % (local + offset,
                                                                     lines[local - 1])
                                       + line[match.end():].rstrip(b"\n")).decode())
                if (code == 1) != bool(errors) or len(errors) != stats["rejected"]:
                    raise CoachFailure(failure_message(
                        f"coach batch (with {len(errors)} error records, coach stats counted "
                        f"{stats['rejected']} rejected)", code, stderr_text))
                if report is not None and advised + len(errors) != count:
                    raise CoachFailure(
                        f"coach batch answered {advised + len(errors)} records in partition "
                        f"{index}, the job gave it {count}")
                summary.update(advised=advised, batch_seconds=time.monotonic() - started)
            summary["errors"] = errors
        except CoachFailure as failure:
            summary["failure"] = str(failure)
        except Exception as error:  # reported as a message, never lost in a trace
            summary["failure"] = f"{type(error).__name__}: {error}"
        finally:
            if spool is not None:
                shutil.rmtree(spool, ignore_errors=True)
        if report is None:
            yield summary
        else:
            report.add([summary])
    return run


def run_coach(command, cwd, env):
    try:
        return subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True)
    except OSError as error:
        raise CoachFailure(f"cannot run {command[0]}: {error}") from None


def parse_stats(output):
    try:
        stats = json.loads(output)
        return {"profiles": int(stats["profiles"]), "rejected": int(stats["rejected"])}
    except (ValueError, KeyError, TypeError):
        return None


def local_dir():
    """A scratch folder of the executor's (Spark gives its Python workers SPARK_LOCAL_DIRS)."""
    for folder in os.environ.get("SPARK_LOCAL_DIRS", "").split(","):
        if folder and os.path.isdir(folder):
            return folder
    return None


# --- the driver ------------------------------------------------------------------------------


class Timer:
    def __init__(self):
        self.phases = []

    def run(self, label, action):
        started = time.monotonic()
        result = action()
        seconds = time.monotonic() - started
        self.phases.append((label, seconds))
        log(f"{label}: {seconds:.2f} s")
        return result


class FileSystem:
    """Hadoop's FileSystem (through the JVM), so that OUT may be any URI Spark writes to."""

    def __init__(self, sc):
        self.jvm = sc._jvm
        self.conf = sc._jsc.hadoopConfiguration()

    def _resolve(self, uri):
        path = self.jvm.org.apache.hadoop.fs.Path(uri)
        return path.getFileSystem(self.conf), path

    def exists(self, uri):
        fs, path = self._resolve(uri)
        return fs.exists(path)

    def is_file(self, uri):
        fs, path = self._resolve(uri)
        return fs.exists(path) and fs.getFileStatus(path).isFile()

    def delete(self, uri):
        fs, path = self._resolve(uri)
        fs.delete(path, True)

    def mkdirs(self, uri):
        fs, path = self._resolve(uri)
        fs.mkdirs(path)

    def write(self, uri, data):
        fs, path = self._resolve(uri)
        fs.setWriteChecksum(False)  # no .NAME.crc beside a local file
        out = fs.create(path, True)
        try:
            for start in range(0, len(data), 1 << 20):
                out.write(bytearray(data[start:start + (1 << 20)]))
        finally:
            out.close()


def child(uri, name):
    return uri.rstrip("/") + "/" + name


def format_of(uri):
    lower = uri.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            lower = lower[:-len(suffix)]
    return FORMAT_OF_EXTENSION.get(os.path.splitext(lower)[1])


def shipped_by_submit(sc, name, archive):
    """A file (or archive) that spark-submit shipped under `name` (--files, --archives)."""
    conf = sc.getConf()
    keys = (["spark.archives", "spark.yarn.dist.archives"] if archive
            else ["spark.files", "spark.yarn.dist.files"])
    for key in keys:
        for entry in filter(None, conf.get(key, "").split(",")):
            base, _, fragment = entry.strip().partition("#")
            shown = fragment or os.path.basename(base.rstrip("/"))
            if shown == name or (archive and not fragment and re.fullmatch(
                    re.escape(name) + r"\.(zip|tgz|tar\.gz|tar)", shown)):
                return entry
    return None


def ship(sc, args, scratch):
    """Ships coach and the rules; returns what the executors look them up by."""
    coach_uri = args.coach
    driver_copy = None
    if coach_uri is None:
        entry = shipped_by_submit(sc, "coach", archive=False)
        if entry:
            coach_name = "coach"
            # In YARN's client mode the driver has only the file it gave to spark-submit.
            local = re.sub(r"^file:(//)?", "", entry.partition("#")[0])
            driver_copy = local if "://" not in local else None
            log("coach: shipped with spark-submit --files")
        else:
            coach_uri = ".build-static/coach"
            if not os.path.isfile(coach_uri):
                raise JobFailure(
                    "no coach binary to ship: give --coach BIN, ship one with spark-submit "
                    "--files, or build the static one with scripts/spark/build-static.sh")
    if coach_uri is not None:
        if "://" not in coach_uri and not os.path.isfile(coach_uri):
            raise JobFailure(f"--coach {coach_uri}: no such file")
        if "://" not in coach_uri:
            coach_uri = os.path.abspath(coach_uri)
        sc.addFile(coach_uri)
        coach_name = os.path.basename(coach_uri.rstrip("/"))
        log(f"coach: shipping {coach_uri}")

    rules_shipped = False
    rules_folder = None
    rules_uri = args.rules
    if rules_uri is None:
        entry = shipped_by_submit(sc, RULES_NAME, archive=True)
        if entry:
            rules_shipped = True
            if "#" not in entry:
                raise JobFailure(f"the rules archive {entry} was shipped without #rules: give "
                                 f"it to spark-submit as --archives {entry}#{RULES_NAME}")
            log(f"rules: shipped with spark-submit --archives {entry}")
        else:
            log("rules: the rules built into coach")
    else:
        if "://" not in rules_uri and os.path.isdir(rules_uri):
            archive = os.path.join(scratch, "rules.zip")
            pack_rules(rules_uri, archive)
            log(f"rules: shipping {rules_uri} (packed as a zip)")
            rules_folder = rules_uri
            rules_uri = archive
        elif not re.search(r"\.(zip|tgz|tar\.gz|tar)$", rules_uri.lower()):
            raise JobFailure(f"--rules {rules_uri}: give a rules directory or a .zip, .tgz "
                             "or .tar.gz of one")
        elif "://" not in rules_uri and not os.path.isfile(rules_uri):
            raise JobFailure(f"--rules {rules_uri}: no such file")
        else:
            log(f"rules: shipping {rules_uri}")
            if "://" not in rules_uri:
                rules_uri = os.path.abspath(rules_uri)
        sc.addArchive(f"{rules_uri}#{RULES_NAME}")
        rules_shipped = True
    return Shipped(coach_name, rules_shipped, rules_folder), driver_copy


def pack_rules(folder, archive):
    """A zip of the rules folder's files: Spark unpacks a zip inside the JVM (a .tgz it
    unpacks with the executor's tar)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                z.write(path, os.path.relpath(path, folder))


def executor_message(error):
    """The first executor's own message in a failed Spark action, not the Java trace."""
    text = str(error)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "Traceback (most recent call last):" in line:
            for following in lines[i + 1:]:
                if following and not following.startswith((" ", "\t")):
                    return following.strip()
    match = re.search(r"most recent failure: (.*)", text)
    if match:
        return match.group(1).strip()
    for line in lines:
        if line.strip() and not line.startswith("An error occurred while calling"):
            return line.strip().lstrip(": ")
    return text.strip()


def spark_action(what, action):
    try:
        return action()
    except JobFailure:
        raise
    except Exception as error:
        if type(error).__name__ in ("Py4JJavaError", "Py4JError") or "pyspark" in type(
                error).__module__:
            raise JobFailure(f"an executor failed while {what}: {executor_message(error)}\n"
                             "(Spark's own log and traces: --spark-log-level WARN)") from None
        raise


def first_failure(summaries):
    failed = [s for s in summaries if "failure" in s]
    if not failed:
        return None
    first = min(failed, key=lambda s: s["partition"])
    more = f" (and {len(failed) - 1} more partitions)" if len(failed) > 1 else ""
    return (f"coach failed on an executor, partition {first['partition']}{more}:\n"
            + first["failure"])


def main(argv):
    args = parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.accumulators import AccumulatorParam
    except ImportError as error:
        log(f"cannot import pyspark ({error}): install it, e.g. python3 -m venv venv && "
            "venv/bin/pip install pyspark, and run this script with venv/bin/python")
        return 2

    timer = Timer()
    conf = SparkConf().setAppName("coach-spark").set("spark.ui.showConsoleProgress", "false")
    # Lines end at "\n" only, as coach reads them (Hadoop would also end one at a lone "\r").
    conf.set("spark.hadoop.textinputformat.record.delimiter", "\n")
    if args.master:
        conf.setMaster(args.master)
    # Otherwise spark-submit's master, or local[*] when run with python3 alone.
    sc = timer.run("start Spark", lambda: SparkContext(conf=conf))
    sc.setLogLevel(args.spark_log_level)
    scratch = tempfile.mkdtemp(prefix="coach-spark-driver-")
    try:
        return run_job(sc, args, timer, scratch, AccumulatorParam)
    except JobFailure as failure:
        log(f"error: {failure}")
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        sc.stop()


def run_job(sc, args, timer, scratch, AccumulatorParam):
    fs = FileSystem(sc)
    if not fs.exists(args.input):
        raise JobFailure(f"{args.input}: no such file")
    if not fs.is_file(args.input):
        raise JobFailure(f"{args.input} is not a file: give one population file (record and "
                         "line numbers are a file's)")
    if fs.exists(args.out):
        if not args.overwrite:
            raise JobFailure(f"{args.out} exists; remove it, choose another OUT or give "
                             "--overwrite")
        fs.delete(args.out)
    try:
        return run_job_into_new_out(sc, args, timer, scratch, AccumulatorParam, fs)
    except BaseException:
        # OUT did not exist before: whatever a failed run left there is incomplete, and is
        # never left to pass for a whole result.
        if fs.exists(args.out):
            fs.delete(args.out)
        raise


def run_job_into_new_out(sc, args, timer, scratch, AccumulatorParam, fs):
    shipped, driver_copy = ship(sc, args, scratch)

    # The driver runs coach too, for the merge: the copy SparkFiles holds for the driver.
    from pyspark import SparkFiles
    candidates = [SparkFiles.get(shipped.coach_name), shipped.coach_name, driver_copy]
    driver_coach = next((os.path.abspath(c) for c in candidates if c and os.path.isfile(c)),
                        os.path.abspath(candidates[0]))

    # Before any data is read: coach runs and the rules load, in one task per core Spark
    # offers (at most PREFLIGHT_TASKS), which also starts the executors' Python workers.
    slots = max(1, min(sc.defaultParallelism, PREFLIGHT_TASKS))
    checks = spark_action("checking the rules", lambda: timer.run(
        f"start-up: check coach and the rules on the executors ({slots} tasks)",
        lambda: sc.parallelize(range(slots), slots).mapPartitionsWithIndex(
            preflight_task(shipped)).collect()))
    failed = [c for c in checks if not c["ok"]]
    if failed:
        raise JobFailure("the rules do not load (checked on an executor):\n"
                         + shipped.own_names(failed[0]["message"]))
    versions = {json.loads(c["stats"])["ruleSet"]["version"] for c in checks}
    if len(versions) > 1:
        raise JobFailure(f"the executors loaded different rule sets: {sorted(versions)}")
    version = versions.pop()
    log(f"{checks[0]['version'].splitlines()[0]}, rule set {version}")

    lines = sc.textFile(args.input, args.partitions) if args.partitions else sc.textFile(
        args.input)
    partitions = lines.getNumPartitions()
    # Every line with its index in the file (a job that counts each partition's lines).
    numbered = spark_action("numbering lines", lambda: timer.run(
        "number the lines (zipWithIndex)", lambda: lines.zipWithIndex()))
    first = spark_action("reading the first line", lambda: numbered.filter(
        lambda item: not is_blank(*item)).take(1))
    fmt = args.input_format or format_of(args.input)
    if fmt is None:
        text = first[0][0].lstrip("\ufeff") if first else ""
        fmt = "jsonl" if text.startswith("{") else "csv"
    header = header_index = None
    if fmt == "csv":
        if not first:
            raise JobFailure(f"{args.input}: the CSV population is empty (no header row)")
        header, header_index = first[0]
    # Every record (not blank, not the header) with its line and its record index.
    records = spark_action("numbering records", lambda: timer.run(
        "number the records (zipWithIndex)",
        lambda: numbered.filter(lambda item: item[1] != header_index and not is_blank(*item))
        .zipWithIndex()))
    log(f"{args.input}: {fmt}, {partitions} partitions, master {sc.master}")

    settings = {"format": fmt, "jobs": args.jobs, "limit": args.limit, "explain": args.explain}
    if args.advice:
        class ListParam(AccumulatorParam):
            def zero(self, value):
                return []

            def addInPlace(self, a, b):
                a.extend(b)
                return a

        report = sc.accumulator([], ListParam())
        spark_action("writing advice", lambda: timer.run(
            "stats, advice and errors (coach on the executors)",
            lambda: records.mapPartitionsWithIndex(
                partition_task(shipped, settings, header, report))
            .saveAsTextFile(child(args.out, "advice"))))
        reported = report.value
    else:
        reported = spark_action("computing statistics", lambda: timer.run(
            "stats and errors (coach on the executors)",
            lambda: records.mapPartitionsWithIndex(
                partition_task(shipped, settings, header)).collect()))

    # One summary per partition (a retried task may have reported twice).
    summaries = sorted({s["partition"]: s for s in reported}.values(),
                       key=lambda s: s["partition"])
    failure = first_failure(summaries)
    if failure is not None:
        failure = shipped.own_names(failure)
    if failure is None and [s["partition"] for s in summaries] != list(range(partitions)):
        failure = (f"{partitions} partitions, but reports from "
                   f"{[s['partition'] for s in summaries]}")
    if failure is not None:
        raise JobFailure(failure)
    versions = {json.loads(s["stats"])["ruleSet"]["version"] for s in summaries}
    if versions - {version}:
        raise JobFailure(f"the partitions were evaluated with rule sets {sorted(versions)}, "
                         f"the executors checked before had {version}")

    # The shards, merged on the driver. An empty file has no partitions: its statistics are
    # those of no records, which the start-up check computed.
    shard_texts = [s["stats"] for s in summaries] or [checks[0]["stats"].strip()]
    shards = os.path.join(scratch, "shards")
    os.makedirs(shards)
    paths = []
    for index, text in enumerate(shard_texts):
        path = os.path.join(shards, f"shard-{index:05d}.json")
        with open(path, "w") as f:
            f.write(text + "\n")
        paths.append(path)

    def merge(fmt_):
        try:
            done = subprocess.run([driver_coach, "stats", "--merge", *paths, "--format", fmt_],
                                  capture_output=True)
        except OSError as error:
            raise JobFailure(f"cannot run coach on the driver ({driver_coach}) to merge the "
                             f"statistics: {error}") from None
        if done.returncode != 0:
            raise JobFailure(failure_message("coach stats --merge", done.returncode,
                                             done.stderr))
        return done.stdout

    merged_json = timer.run("merge the shards (coach stats --merge)", lambda: merge("json"))
    merged_text = merge("text")
    errors = [e for s in summaries for e in s["errors"]]
    errors_bytes = "".join(e + "\n" for e in errors).encode()
    fs.mkdirs(args.out)
    timer.run("write stats.json, stats.txt, errors.jsonl", lambda: (
        fs.write(child(args.out, "stats.json"), merged_json),
        fs.write(child(args.out, "stats.txt"), merged_text),
        fs.write(child(args.out, "errors.jsonl"), errors_bytes)))

    sys.stdout.buffer.write(merged_text)
    sys.stdout.flush()
    def spread(key):
        values = [s[key] for s in summaries if key in s]
        return f"{min(values):.2f}–{max(values):.2f} s" if values else None
    stats_spread, batch_spread = spread("stats_seconds"), spread("batch_seconds")
    if batch_spread:
        batch_spread = (f", coach batch {batch_spread} (with handing its advice to Spark)"
                        if args.advice else f", coach batch for the error records {batch_spread}")
    if stats_spread:
        log(f"each partition: coach stats {stats_spread}{batch_spread or ''}")
    total = sum(s["records"] for s in summaries)
    rejected = len(errors)
    log(f"{total:,} records in {partitions} partitions: {total - rejected:,} evaluated, "
        f"{rejected:,} rejected")
    for error in errors[:SHOWN_ERRORS]:
        log("  rejected " + describe_error(error))
    if rejected > SHOWN_ERRORS:
        log(f"  … and {rejected - SHOWN_ERRORS:,} more")
    replaced = sum(s["replaced"] for s in summaries)
    if replaced and fmt == "jsonl":
        log(f"warning: {replaced:,} records hold U+FFFD. Spark's text reader turns bytes that are "
            "not UTF-8 into U+FFFD before coach sees them, so such a record is evaluated here "
            "where one coach run would reject it (malformed-json)")
    written = ["stats.json", "stats.txt", "errors.jsonl"] + (["advice/"] if args.advice else [])
    log(f"wrote {', '.join(child(args.out, w) for w in written)}")
    return 0


def describe_error(line):
    error = json.loads(line)
    where = f"record {error['record']} (line {error['line']})"
    if error.get("id"):
        where += f" {error['id']}"
    field = f" [{error['field']}]" if error.get("field") else ""
    return f"{where}: {error['error']}{field}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
