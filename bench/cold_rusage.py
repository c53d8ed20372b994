#!/usr/bin/env python3
"""What one cold start costs the machine, not only how long it takes (docs/performance.md, "Cold start").

Spawns a host N times, each with a new heartbeat (stored durably before its ack) in a data folder that already
holds a database, and reads each child's resource usage from wait4(): CPU time in user and kernel mode and page
faults, whose cost on a virtual machine is what host_bench's wall-clock medians do not separate. The host's
figures include its work after the reply (closing the database), the bare C host's its whole life.

  cd build-bench && ../bench/cold_rusage.py --starts 60
  ../bench/cold_rusage.py --host ./bare_host
"""
import argparse
import datetime
import json
import os
import statistics
import struct
import subprocess
import tempfile
import time


def one_start(host, env, event_id):
    message = json.dumps({
        "v": 1, "type": "heartbeat", "id": event_id, "platform": "dataannotation", "account": "ana@example.org",
        "at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "tasks_available": 3, "focused": True,
    }, separators=(",", ":")).encode()
    began = time.perf_counter()
    child = subprocess.Popen([host], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    child.stdin.write(struct.pack("=I", len(message)) + message)
    child.stdin.flush()
    length = struct.unpack("=I", child.stdout.read(4))[0]
    child.stdout.read(length)
    reply_ms = (time.perf_counter() - began) * 1000
    child.stdin.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.stdout.close()
    if status != 0:
        raise SystemExit(f"{host} exited with status {status}")
    return reply_ms, usage.ru_utime * 1000, usage.ru_stime * 1000, usage.ru_minflt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.path.join(os.getcwd(), "temoin-host"))
    parser.add_argument("--starts", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="temoin-cold-rusage-") as data_dir:
        env = dict(os.environ, TEMOIN_DATA_DIR=data_dir)
        one_start(args.host, env, f"warm-{os.getpid()}")  # creates the database: the measured starts find one
        runs = [one_start(args.host, env, f"r{os.getpid()}-{i}") for i in range(args.starts)]
    reply, user, system, faults = zip(*runs)
    print(f"{args.host}: {args.starts} starts, reply median {statistics.median(reply):.2f} ms; per start: "
          f"user {statistics.mean(user):.2f} ms, system {statistics.mean(system):.2f} ms, "
          f"{statistics.mean(faults):.0f} page faults")


if __name__ == "__main__":
    main()
