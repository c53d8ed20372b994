#!/usr/bin/env python3
"""Which pages one group commit writes, by b-tree: the I/O side of an ingest batch (docs/performance.md).

Feeds a host a history of the bench's events (write_frames), then one batch of the events that follow, in one
read, so in one transaction. A second connection stays open meanwhile, so that the host's exit cannot checkpoint
and delete the WAL; the WAL's frame headers then give the pages the commit wrote, and SQLite's dbstat gives the
b-tree each page belongs to.

  cd build-bench && ../bench/wal_frames.py --history 200000 --batch 32
"""
import argparse
import collections
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import time


def main():
    here = os.getcwd()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.path.join(here, "temoin-host"))
    parser.add_argument("--write-frames", default=os.path.join(here, "write_frames"))
    parser.add_argument("--history", type=int, default=200000, help="events stored before the batch")
    parser.add_argument("--batch", type=int, default=32, help="events of the measured commit")
    parser.add_argument("--work", default=os.path.join(here, "bench-data", "wal-frames"))
    args = parser.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    data = os.path.join(args.work, "data")
    os.makedirs(data)
    env = dict(os.environ, TEMOIN_DATA_DIR=data)
    total = args.history + args.batch
    end_ms = str(int(time.time() * 1000) - 60000)
    history = os.path.join(args.work, "history.bin")
    batch = os.path.join(args.work, "batch.bin")
    common = [args.write_frames, "--events", str(total), "--end-ms", end_ms]
    with open(history, "wb") as out:
        subprocess.run(common + ["--take", str(args.history)], stdout=out, check=True)
    with open(batch, "wb") as out:
        subprocess.run(common + ["--skip", str(args.history)], stdout=out, check=True)

    def feed(frames):
        with open(frames, "rb") as stdin:
            subprocess.run([args.host], stdin=stdin, stdout=subprocess.DEVNULL, env=env, check=True)

    feed(history)
    db = os.path.join(data, "temoin.db")
    holder = sqlite3.connect(db)
    holder.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()
    feed(batch)

    with open(db + "-wal", "rb") as f:
        wal = f.read()
    page_size = struct.unpack(">I", wal[8:12])[0]
    pages, commits, offset = [], 0, 32  # a 32-byte WAL header, then 24-byte frame headers before each page
    while offset + 24 + page_size <= len(wal):
        page, size_after_commit = struct.unpack(">II", wal[offset:offset + 8])
        pages.append(page)
        commits += size_after_commit != 0
        offset += 24 + page_size
    owner = dict(holder.execute("SELECT pageno, name FROM dbstat"))
    counts = collections.Counter(owner.get(p, "(free list)") for p in pages)
    print(f"{args.batch} events after {args.history}: {commits} commit(s), {len(pages)} WAL frames "
          f"({len(pages) / max(args.batch, 1):.2f} an event, {len(set(pages))} distinct pages)")
    for name, n in counts.most_common():
        print(f"  {n:4d}  {name}")
    return 0 if commits == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
