#!/usr/bin/env python3
"""Analyse many WFDB records on a Dask cluster, one task per record, then write the summary table.

The unit of work is the project's own CLI (`heartbeat-sensei analyze`, one record per call); Dask
does the scheduling, the retries and the recovery from a lost worker. Nothing in the app knows
about the cluster. See docs/scale.md.

  python3 scale/analyze_records.py ../shared/data/mitdb/*.hea --out build/scale/out \
      --workers 2 --summary build/scale/summary.csv
  python3 scale/analyze_records.py RECORDS... --out /shared/out --scheduler tcp://10.0.0.5:8786

Per record the task runs `analyze RECORD --out OUT --layout database --skip-done --status
--threads 1`: a record whose analysis is already in OUT is skipped (a re-run resumes), exit 75
(transient: I/O, a worker thread that died) raises so that Dask retries the task, exit 2 (bad
input) is reported and not retried. A record whose every try failed (the CLI killed, its worker lost)
gets OUT/<database folder>/<record>.error.json with status retry, as the CLI leaves for its own failures,
so that summarize lists it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_RETRY = 75
REPO = Path(__file__).resolve().parent.parent


class TransientFailure(RuntimeError):
    """The CLI said another try may pass (exit 75) or died without saying (a signal, an internal error)."""


def analyze_record(record: str, out: str, cli: list[str], extra: list[str]) -> dict:
    """One task: one record through the CLI. Runs on a Dask worker; returns the CLI's status line."""
    cmd = [*cli, "analyze", record, "--out", out, "--layout", "database", "--skip-done", "--status", "--threads", "1", *extra]
    # One ONNX Runtime thread per task: the worker's one slot is the one core it is given.
    env = dict(os.environ, HEARTBEAT_ORT_THREADS="1")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = [json.loads(x) for x in p.stdout.splitlines() if x.startswith("{")]
    if p.returncode in (0, EXIT_BAD_INPUT):
        if lines:
            return lines[-1]
        return {"record": Path(record).name, "recordPath": record, "status": "bad-input", "message": p.stderr.strip()[-500:]}
    raise TransientFailure(f"exit {p.returncode}: {p.stderr.strip()[-500:]}")


def database_of(rec: Path) -> str:
    """The record's database as the CLI's --layout database names it (src/main/wfdb/header.ts databaseOf): the
    folder holding its header, or the one above a version folder as PhysioNet's downloads nest them (mitdb/1.0.0/100)."""
    folder = rec.absolute().parent
    return folder.parent.name if re.fullmatch(r"\d+(\.\d+)+", folder.name) else folder.name


def write_error_file(out: str, record: str, message: str) -> None:
    """OUT/<database folder>/<record>.error.json for a task that ran out of tries (the CLI killed, its worker lost):
    the CLI wrote none, and summarize lists a record without an analysis by this file. Written as the CLI
    writes its own (a status line, atomically); never over a file that is not a status line (the analysis
    of a record named <record>.error)."""
    rec = Path(record)
    file = Path(out) / database_of(rec) / f"{rec.name}.error.json"
    if file.exists():
        try:
            old = json.loads(file.read_text())
        except (OSError, ValueError):
            return
        if not (isinstance(old, dict) and "status" in old):
            return
    line = {"record": rec.name, "recordPath": record, "status": "retry", "code": "TASK_FAILED", "message": message}
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(line, indent=2) + "\n")
    os.replace(tmp, file)


def record_paths(args: argparse.Namespace) -> list[str]:
    names = list(args.records)
    if args.list:
        names += [x.strip() for x in Path(args.list).read_text().splitlines() if x.strip() and not x.startswith("#")]
    out = []
    for n in names:
        base = n[:-4] if n.endswith(".hea") else n
        out.append(str(Path(base).resolve()))
    # One task per record even when a record is named twice.
    return sorted(set(out))


def connect(args: argparse.Namespace):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        sys.exit("scale: Dask distributed is not installed: `apt-get install python3-distributed` (Debian) or `pip install distributed` (scale/setup.sh)")
    if args.scheduler:
        return Client(args.scheduler), None
    # Processes, one thread each: each task starts one CLI process that uses one core.
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("records", nargs="*", help="WFDB records (with or without .hea)")
    ap.add_argument("--list", help="a file with one record per line")
    ap.add_argument("--out", required=True, help="output folder: OUT/<database folder>/<record>.{pvc,csv,json}")
    ap.add_argument("--workers", type=int, default=2, help="local cluster: worker processes, one thread each (default 2)")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786) instead of a local cluster")
    ap.add_argument("--retries", type=int, default=2, help="tries after a transient failure, per record (default 2)")
    ap.add_argument("--summary", help="summary CSV to write (a .parquet beside it too)")
    ap.add_argument("--cli", default=f"node {shlex.quote(str(REPO / 'bin' / 'heartbeat-sensei.mjs'))}", help="the heartbeat-sensei command on the workers")
    ap.add_argument("--analyze-args", default="", help="more analyze options, e.g. --analyze-args='--no-cache --beats atr' (with =)")
    args = ap.parse_args()
    records = record_paths(args)
    if not records:
        ap.error("no records given")
    out = str(Path(args.out).resolve())
    cli = shlex.split(args.cli)
    extra = shlex.split(args.analyze_args)

    client, cluster = connect(args)
    from dask.distributed import as_completed

    t0 = time.monotonic()
    counts: dict[str, int] = {}
    failed: list[str] = []
    try:
        # key = the record's path: a record is one task however often it is submitted.
        futures = {client.submit(analyze_record, r, out, cli, extra, key=f"analyze-{r}", retries=args.retries, pure=False): r for r in records}
        for i, (fut, res) in enumerate(as_completed(futures, with_results=True, raise_errors=False), 1):
            if fut.status == "error":
                # out of tries: res is (type, exception, traceback); the exception says what happened
                exc = fut.exception()
                message = f"{type(exc).__name__}: {exc}"
                try:
                    write_error_file(out, futures[fut], message)
                except OSError as e:
                    print(f"scale: {futures[fut]}: cannot write its error file: {e}", file=sys.stderr)
                status, line = "failed", f"{futures[fut]}: failed ({message})"
                failed.append(line)
            else:
                status, line = res["status"], f"{res['recordPath']}: {res['status']}" + (f" ({res.get('message')})" if res.get("message") else "")
            counts[status] = counts.get(status, 0) + 1
            print(f"[{i}/{len(records)}] {line}", flush=True)
    except KeyboardInterrupt:
        # Done records stay done (written atomically); the next run skips them.
        print("scale: interrupted; run again to resume", file=sys.stderr)
        return 130
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    sec = time.monotonic() - t0
    analysed = counts.get("done", 0)
    rate = f"; {60 * analysed / sec:.1f} records/min analysed" if analysed else ""
    print(f"scale: {len(records)} records in {sec:.1f} s ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}){rate}", flush=True)

    if args.summary:
        summary = Path(args.summary).resolve()
        summary.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([*cli, "summarize", out, "--csv", str(summary), "--parquet", str(summary.with_suffix(".parquet"))], check=True)
    return 1 if failed or counts.get("bad-input") else 0


if __name__ == "__main__":
    sys.exit(main())
