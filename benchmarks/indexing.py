"""Indexing benchmark: JSONL → searchable for the 100k and 1M therapist sets.

    python -m benchmarks.indexing [--sizes 100k 1m] [--doc docs/benchmarks.md]

(``python -m benchmarks.run`` runs this as its first phase, with everything else.)

Generates each set once (reused on later runs, under benchmarks/data/), then runs the real
command, ``therapist-search index``, in a fresh process per set and kind, measuring wall time
until the new version serves, the rate, the peak resident memory of the whole process tree
(workers included) and the index size on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import DATA, ROOT, dir_size_mib, machine, run_measured, today, write_section
from search_core.settings import Settings

KINDS = ("therapists", "articles", "locations")


def ensure_set(size: str) -> Path:
    out = DATA / f"fixtures-{size}"
    if not (out / "manifest.json").is_file():
        print(f"generating the {size} set into {out} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "fixtures.generate", "--size", size, "--out", str(out)],
            check=True,
            cwd=ROOT,
        )
    return out


def bench(size: str) -> list[dict[str, object]]:
    return index_set(ensure_set(size), DATA / f"index-{size}", size)


def index_command(source: Path, kind: str) -> list[str]:
    """``therapist-search index`` of one kind from a folder of JSONL files."""
    args = ["index", "--from", str(source), "--kind", kind, "--quiet"]
    return [sys.executable, "-m", "cli", *args]


def index_set(source: Path, data_dir: Path, size: str) -> list[dict[str, object]]:
    """Index every kind of ``source`` into a fresh ``data_dir``, one measured process each."""
    shutil.rmtree(data_dir, ignore_errors=True)
    rows: list[dict[str, object]] = []
    for kind in KINDS:
        run = run_measured(
            index_command(source, kind),
            env={"SEARCH_DATA_DIR": str(data_dir)},
        )
        if run.returncode != 0:
            raise SystemExit(f"indexing {kind} failed:\n{run.stdout}\n{run.stderr}")
        docs = int(json.loads((source / "manifest.json").read_text())["counts"][kind])
        index = data_dir / "index" / kind
        rows.append(
            {
                "size": size,
                "kind": kind,
                "docs": docs,
                "seconds": run.seconds,
                "rate": docs / run.seconds,
                "cpu_s": run.cpu_seconds,
                "peak_mib": run.peak_rss_mib,
                "peak_pss_mib": run.peak_pss_mib,
                "peak_anon_mib": run.peak_anon_mib,
                "index_mib": dir_size_mib(index),
                "source_mib": sum(p.stat().st_size for p in source.glob(f"{kind}.jsonl*")) / 2**20,
            }
        )
        print(
            f"{size} {kind}: {docs} docs in {run.seconds:.1f} s "
            f"({docs / run.seconds:,.0f}/s), peak {run.peak_rss_mib:,.0f} MiB",
            file=sys.stderr,
        )
    return rows


def tantivy_alone(source: Path, n: int) -> dict[str, object]:
    """What Tantivy alone costs per therapist: the first ``n`` records of ``source`` are
    validated and encoded first (untimed), then handed to a fresh Tantivy index (the product's
    schema and analyzers, one indexing thread) and committed. The CPU time of this process
    over the Tantivy part (its indexing thread included) divided by ``n``: a floor for the
    whole build, which also validates, transforms and encodes every record."""
    import tempfile
    import time

    import tantivy

    from indexer.sources import read_lines, source_file
    from indexer.validation import validate
    from search_core.embedded.writer import embedded_schema, encode_document
    from search_core.settings import Settings

    mappings = Settings().mappings_dir
    payloads = []
    path = source_file(source, "therapists")
    if path is None:
        raise SystemExit(f"{source} has no therapists file")
    for line in read_lines(path):
        if len(payloads) == n:
            break
        doc, _ = validate("therapists", line.text)
        if doc is not None:
            encoded = encode_document(mappings, "therapists", doc, len(payloads) + 1)
            payloads.append(encoded.partition("\n")[2])
    schema = embedded_schema(mappings, "therapists")
    with tempfile.TemporaryDirectory(prefix="tantivy-alone-") as tmp:
        index = tantivy.Index(schema.schema, path=tmp, reuse=False)
        schema.register(index)
        writer = index.writer(heap_size=400_000_000, num_threads=1)
        wall, cpu = time.perf_counter(), time.process_time()
        for payload in payloads:
            writer.add_json(payload)
        writer.commit()
        writer.wait_merging_threads()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "docs": len(payloads),
        "cpu_us_per_doc": cpu / len(payloads) * 1e6,
        "wall_us_per_doc": wall / len(payloads) * 1e6,
        "cores": os.cpu_count() or 1,
    }


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", nargs="+", default=["100k", "1m"])
    p.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = p.parse_args()
    rows = [r for size in args.sizes for r in bench(size)]
    table = [
        "| set | kind | documents | source JSONL | wall time | rate | peak memory (tree) "
        "| index on disk |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        table.append(
            f"| {r['size']} | {r['kind']} | {r['docs']:,} | {r['source_mib']:,.0f} MiB "
            f"| {r['seconds']:.1f} s | {r['rate']:,.0f}/s | {r['peak_mib']:,.0f} MiB "
            f"| {r['index_mib']:,.0f} MiB |"
        )
    body = "\n".join(
        [
            f"Command: `python -m benchmarks.indexing --sizes {' '.join(args.sizes)}` "
            "(`make bench-index`)",
            "",
            f"Machine: {machine()}. Run: {today()}.",
            "",
            "Wall time is JSONL on disk → new version validated, indexed, committed, checked and "
            "serving (one `therapist-search index --kind K` process per row, default settings: "
            f"one encoding worker per core, Tantivy writer heap {Settings().writer_heap_mb} MB). "
            "Peak memory is the "
            "resident memory of the whole process tree, sampled every 50 ms.",
            "",
            *table,
        ]
    )
    write_section(args.doc, "Indexing", body)
    print(body)


if __name__ == "__main__":
    main()
