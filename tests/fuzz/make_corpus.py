#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into tests/fuzz/corpus/<target>/.

The seeds come from the contract's own fixtures (every good request of tests/fixtures/good_input/catalogue.json,
every hostile frame of tests/fixtures/bad_input/catalogue.json) plus hand-written nasty cases below. Re-run it
after changing the catalogues: python3 tests/fuzz/make_corpus.py. File names are content hashes, so re-running
is idempotent and libFuzzer's own additions (run.sh merges them into build-fuzz/, not here) never clash.
"""
import base64
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AT = "2026-07-14T09:30:00+02:00"


def load(name):
    with open(os.path.join(ROOT, "tests", "fixtures", name, "catalogue.json"), encoding="utf-8") as f:
        return json.load(f)["entries"]


def dumps(value):
    # As JSON.stringify writes it (the contract tests' frames): compact, key order kept, raw UTF-8.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


def write(target, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def frame(body):
    return struct.pack("<I", len(body)) + body


def body_of(spec):
    """The frame body of a bad-catalogue entry, or None for the framing-only entries."""
    if "json" in spec:
        return dumps(spec["json"])
    if "text" in spec:
        return spec["text"].encode("utf-8", "surrogatepass")
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    return None


def stream_of(spec):
    """The bytes on the wire of a bad-catalogue entry (bodies of huge lengths are cut to 64 bytes)."""
    if "length_only" in spec:
        return struct.pack("<I", spec["length_only"]) + b" " * min(spec["body_bytes"], 64)
    if "raw_base64" in spec:
        return base64.b64decode(spec["raw_base64"])
    return frame(body_of(spec))


def event(type_, id_, **fields):
    e = {"v": 1, "type": type_, "id": id_, "platform": "dataannotation", "account": "ana@example.org", "at": AT}
    e.update(fields)
    return e


good = load("good_input")
bad = load("bad_input")
good_messages = [m for e in good for m in e.get("setup", []) + [e["message"]]]

# ---------------------------------------------------------------- fuzz_decode: one frame body per file
nasty_bodies = [
    b'{"v":1,"type":"ping","id":"p","id":"q"}',                       # duplicate key at the top
    b'{"v":1,"type":"balance","id":"d1","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"amount":"1.00","currency":"USD","amount":"1000000.00"}',         # smuggled second amount
    b'{"v":1,"type":"task.start","id":"d2","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"task_id":"t","rate":{"amount":"1.00","amount":"9.00","currency":"USD","per":"hour"}}',
    b'{"v":1.0,"type":"ping","id":"p"}', b'{"v":1e0,"type":"ping","id":"p"}', b'{"v":-0,"type":"ping","id":"p"}',
    b'{"v":1,"type":"ping","id":"p","x":1e999}', b'{"v":1,"type":"ping","id":"p","x":-1e999}',
    b'{"v":18446744073709551616,"type":"ping","id":"p"}', b'{"v":9007199254740993,"type":"ping","id":"p"}',
    b'{"v":1,"type":"ping","id":"\\ud800"}', b'{"v":1,"type":"ping","id":"\\udc00\\ud800"}',
    b'{"v":1,"type":"ping","id":"\\u0000"}', b'{"v":1,"type":"ping","id":"p\xc0\xaf"}',  # overlong '/'
    b'{"v":1,"type":"ping","id":"p\xed\xa0\x80"}',                     # a surrogate encoded in UTF-8
    b'{"v":1,"type":"ping","id":"p\xf4\x90\x80\x80"}',                 # above U+10FFFF
    b'\xef\xbb\xbf{"v":1,"type":"ping","id":"p"}',                     # a byte order mark
    b'[' * 17 + b']' * 17, b'{"a":' * 20 + b'1' + b'}' * 20, b'[' * 5000,
    b'{"v":1,"type":"balance","id":"m","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"amount":"10000000000.00","currency":"USD"}',
    b'{"v":1,"type":"balance","id":"m","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"amount":"99999999999999999999999.99","currency":"USD"}',
    b'{"v":1,"type":"balance","id":"m","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"amount":"1.500","currency":"KWD","pending":"0.001"}',
    b'{"v":1,"type":"balance","id":"m","platform":"p","account":"a","at":"9999-12-31T23:59:59Z",'
    b'"amount":"1","currency":"JPY"}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:00.123456789-23:59"}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-02-29T09:30:00Z"}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T24:00:00Z"}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:60Z"}',
    b'{"v":1,"type":"task.submit","id":"s","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",'
    b'"task_id":"t","duration_s":604800,"earned":{"amount":"10000000000.00","currency":"USD"}}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"' + "\u00e9".encode() * 128 + b'","at":"2026-07-14T09:30:00Z"}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"' + "\U0001F600".encode() * 129 + b'","at":"2026-07-14T09:30:00Z"}',
    # For the events' fast path (protocol/flat_json.h): what it reads, and what it must leave to the document path.
    b' {\n "task_id" : "t" , "at":"2026-07-14T09:30:00Z","account":"a","platform":"p","id":"w","type":"task.start",'
    b'"v":1,"rate":{"per":"task","currency":"EUR","amount":"2.5"},"title":"say \\"hi\\" \\\\ \\/ \\n\\t"}\r\n',
    b'{"v":1,"type":"task.start","id":"w","platform":"p","account":"a\\u0000","at":"2026-07-14T09:30:00Z",'
    b'"task_id":"t"}',
    b'{"v":1,"type":"task.start","id":"w","platform":"p","account":"a\x7f","at":"2026-07-14T09:30:00Z","task_id":"t"}',
    b'{"v":1,"type":"task.start","id":"w","platform":"p","account":"a","at":"2026-07-14T09:30:00Z","task_id":"t",'
    b'"rate":{"amount":"1","currency":"EUR","per":"hour","rate":{}}}',
    b'{"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:00Z","tasks_available":0,'
    b'"focused":false,"url":"https:\\/\\/x.test"}',
]
for m in good_messages:
    write("fuzz_decode", dumps(m))
for e in bad:
    b = body_of(e["frame"])
    if b is not None and len(b) <= 4096:
        write("fuzz_decode", b)
for b in nasty_bodies:
    write("fuzz_decode", b)

# ---------------------------------------------------------------- fuzz_frame_reader: a cut byte, then a stream
ping = dumps({"v": 1, "type": "ping", "id": "p"})
streams = [
    frame(ping), frame(ping) * 3, frame(b""), frame(ping)[:2], frame(ping)[:7],
    frame(ping) + struct.pack("<I", (1 << 20) + 1) + b"x" * 32 + frame(ping),   # too large, then cut short
    struct.pack("<I", 1 << 20) + b" " * 40,                                        # the largest size, truncated
    struct.pack("<I", (1 << 20) + 1) + frame(ping),                                # skip eats the next frame
    struct.pack("<I", 64 << 20) + b"y" * 16,                                        # largest skippable
    struct.pack("<I", (64 << 20) + 1) + frame(ping),                              # out of step
    struct.pack("<I", 0xFFFFFFFF) + frame(ping),
    ping,                                                                          # no prefix at all
    frame(ping) + b"\x00\x00",
]
for e in bad:
    streams.append(stream_of(e["frame"])[:512])
for m in good_messages[:20]:
    streams.append(frame(dumps(m)))
for i, s in enumerate(streams):
    for cut in (0, 1, 3, 200):
        if (i + cut) % 2 == 0 or cut == 0:
            write("fuzz_frame_reader", bytes([cut]) + s)

# ---------------------------------------------------------------- fuzz_body_fields: stored bodies
# Bodies as the log keeps them (canonical JSON: sorted keys, no white space), as the extension sends them, and
# the hand-written nasty cases: the scanner must read the first kind and may decline the rest.
for m in good_messages:
    write("fuzz_body_fields", dumps(m))
    write("fuzz_body_fields", json.dumps(m, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
for b in nasty_bodies:
    write("fuzz_body_fields", b)

# ---------------------------------------------------------------- fuzz_store: one message per line
events = [m for m in good_messages if m["type"] not in ("query.alerts", "config.set", "config.get", "alert.ack",
                                                          "export")]
write("fuzz_store", b"\n".join(dumps(m) for m in events))
for t in sorted({m["type"] for m in events}):
    write("fuzz_store", b"\n".join(dumps(m) for m in events if m["type"] == t))
day = [
    event("task.start", "a1", task_id="t1", rate={"amount": "20.00", "currency": "USD", "per": "hour"},
          at="2026-07-15T08:00:00Z"),
    event("heartbeat", "a2", at="2026-07-15T08:00:30Z", tasks_available=3, focused=True),
    event("task.submit", "a3", task_id="t1", at="2026-07-15T08:30:00Z"),
    event("task.submit", "a4", task_id="t1", at="2026-07-15T08:30:00Z"),                 # seen twice
    event("balance", "a5", amount="12.50", currency="USD", pending="3.00", at="2026-07-15T09:00:00Z"),
    event("balance", "a6", amount="0.00", currency="USD", at="2026-07-14T09:00:00Z"),      # arrives late
    event("payout", "a7", amount="12.50", currency="USD", method="paypal", reference="R1",
          at="2026-07-15T10:00:00Z"),
    event("payout", "a8", amount="12.50", currency="USD", method="paypal", reference="R1",
          at="2026-07-15T10:00:00Z"),
    event("account.status", "a9", state="locked", at="2026-07-15T10:30:00Z"),
    event("balance.missing", "a10", currency="USD", at="2026-07-15T11:00:00Z"),
    event("task.abandon", "a11", task_id="t2", at="2026-07-15T11:10:00Z"),
    {"v": 1, "type": "query.summary", "id": "q1"},
    {"v": 1, "type": "query.balance_history", "id": "q2", "platform": "dataannotation",
     "account": "ana@example.org", "currency": "USD", "days": 366},
    {"v": 1, "type": "query.events", "id": "q3", "after_seq": 2, "limit": 3},
    event("balance", "a5", amount="12.50", currency="USD", pending="3.00", at="2026-07-15T09:00:00Z"),  # duplicate
    event("balance", "a5", amount="99.00", currency="USD", at="2026-07-15T09:00:00Z"),   # same id, other body
]
write("fuzz_store", b"\n".join(dumps(m) for m in day))
big = [
    event("task.start", "b1", task_id="t", rate={"amount": "10000000000.00", "currency": "USD", "per": "hour"},
          at="2026-07-15T00:00:00Z"),
    event("task.submit", "b2", task_id="t", duration_s=604800, at="2026-07-15T01:00:00Z"),
    event("task.start", "b3", task_id="u", rate={"amount": "10000000000.00", "currency": "USD", "per": "task"},
          at="2026-07-15T02:00:00Z"),
    event("task.submit", "b4", task_id="u", earned={"amount": "10000000000.00", "currency": "USD"},
          at="2026-07-15T03:00:00Z"),
    event("balance", "b5", amount="10000000000.000", currency="KWD", pending="10000000000.000",
          at="2026-07-15T04:00:00Z"),
    {"v": 1, "type": "query.summary", "id": "q"},
]
write("fuzz_store", b"\n".join(dumps(m) for m in big))
two = [event("heartbeat", "c%d" % i, account="acct-%d" % (i % 3), platform=("prolific" if i % 2 else "mturk"),
             at="2026-07-1%dT0%d:00:00Z" % (1 + i % 5, i % 10)) for i in range(20)]
write("fuzz_store", b"\n".join(dumps(m) for m in two))
