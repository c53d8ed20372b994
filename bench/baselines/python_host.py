#!/usr/bin/env python3
"""python_host: a typical native messaging host, as most projects ship one (issue 9's second baseline).

json + struct + sqlite3: read a 4-byte native-order length and the JSON, store each event in SQLite and
commit it on its own (one transaction per message, WAL with synchronous=NORMAL), answer one frame per message.
No validation, no chain, no derived tables: this is the "typical" cost, not an equivalent of temoin-host.

  python_host.py            data in $TEMOIN_DATA_DIR/python_host.db (or ./python_host.db)
"""
import json
import os
import sqlite3
import struct
import sys


def main():
    data_dir = os.environ.get("TEMOIN_DATA_DIR", ".")
    db = sqlite3.connect(os.path.join(data_dir, "python_host.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, type TEXT, "
        "platform TEXT, account TEXT, at TEXT, body TEXT)"
    )
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        header = stdin.read(4)
        if len(header) < 4:
            return 0
        (length,) = struct.unpack("=I", header)
        raw = stdin.read(length)
        if len(raw) < length:
            return 0
        try:
            msg = json.loads(raw)
        except ValueError:
            reply = {"v": 1, "re": None, "ok": False, "error": {"code": "bad_json", "message": "not JSON"}}
        else:
            kind = msg.get("type")
            if kind == "ping":
                reply = {"v": 1, "re": msg.get("id"), "ok": True, "version": "0.0.0", "schema": 1}
            else:
                db.execute("BEGIN")
                row = db.execute("SELECT seq FROM events WHERE id = ?", (msg.get("id"),)).fetchone()
                duplicate = row is not None
                if duplicate:
                    seq = row[0]
                else:
                    cur = db.execute(
                        "INSERT INTO events (id, type, platform, account, at, body) VALUES (?, ?, ?, ?, ?, ?)",
                        (msg.get("id"), kind, msg.get("platform"), msg.get("account"), msg.get("at"),
                         json.dumps(msg, sort_keys=True, separators=(",", ":"))),
                    )
                    seq = cur.lastrowid
                db.execute("COMMIT")
                reply = {"v": 1, "re": msg.get("id"), "ok": True, "seq": seq, "duplicate": duplicate}
        out = json.dumps(reply, separators=(",", ":")).encode("utf-8")
        stdout.write(struct.pack("=I", len(out)) + out)
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
