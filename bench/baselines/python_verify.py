#!/usr/bin/env python3
"""python_verify: the chain check of `temoin verify`, written the obvious way in Python (the baseline beside
temoin verify in host_bench). Walks every event in seq order and recomputes each account's chain:
hash = sha256_hex(prev_hash || '{"event":' + body + ',"received_at":"' + received_at + '","seq":' + seq + '}')
(docs/protocol.md). Prints the number of events and broken chains; exit 1 if any link is broken.

  python_verify.py DATABASE
"""
import hashlib
import sqlite3
import sys

GENESIS = "0" * 64


def main():
    db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
    heads = {}
    broken = 0
    events = 0
    for seq, platform, account, received_at, body, prev_hash, digest in db.execute(
        "SELECT seq, platform, account, received_at, body, prev_hash, hash FROM events ORDER BY seq"
    ):
        events += 1
        key = (platform, account)
        expected = heads.get(key, GENESIS)
        row = '{"event":' + body + ',"received_at":"' + received_at + '","seq":' + str(seq) + "}"
        if prev_hash != expected or hashlib.sha256((prev_hash + row).encode("utf-8")).hexdigest() != digest:
            broken += 1
        heads[key] = digest
    print(f"{events} events, {len(heads)} chains, {broken} broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
