// The frame helpers themselves (no host needed): what they build is what docs/protocol.md's framing says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, frameBytes, FrameDecoder, lengthPrefix } from './host_client.js';

test('encodeFrame: 4-byte little-endian length, then the UTF-8 bytes', () => {
  const f = encodeFrame({ v: 1, type: 'ping', id: 'é' });
  const body = Buffer.from('{"v":1,"type":"ping","id":"é"}', 'utf8');
  assert.equal(f.readUInt32LE(0), body.length);
  assert.deepEqual(f.subarray(4), body);
  assert.deepEqual(encodeFrame('ab'), Buffer.from([2, 0, 0, 0, 0x61, 0x62]));
  assert.deepEqual(lengthPrefix(0xffffffff), Buffer.from([0xff, 0xff, 0xff, 0xff]));
});

test('frameBytes: every kind of catalogue frame', () => {
  assert.deepEqual(frameBytes({ json: [1] }), Buffer.from([3, 0, 0, 0, 0x5b, 0x31, 0x5d]));
  assert.deepEqual(frameBytes({ text: 'x' }), Buffer.from([1, 0, 0, 0, 0x78]));
  assert.deepEqual(frameBytes({ base64: Buffer.from([0xff]).toString('base64') }), Buffer.from([1, 0, 0, 0, 0xff]));
  assert.deepEqual(frameBytes({ length_only: 100, body_bytes: 2 }), Buffer.from([100, 0, 0, 0, 0x20, 0x20]));
  assert.deepEqual(frameBytes({ raw_base64: Buffer.from([7, 8]).toString('base64') }), Buffer.from([7, 8]));
  assert.throws(() => frameBytes({ nonsense: 1 }));
});

test('FrameDecoder: frames split anywhere and glued together come out whole', () => {
  const stream = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame(''), encodeFrame({ b: 'ü'.repeat(300) })]);
  for (const step of [1, 3, 7, stream.length]) {
    const d = new FrameDecoder();
    const out = [];
    for (let i = 0; i < stream.length; i += step) out.push(...d.push(stream.subarray(i, i + step)));
    assert.deepEqual(out.map((b) => b.toString('utf8')), ['{"a":1}', '', JSON.stringify({ b: 'ü'.repeat(300) })]);
    assert.equal(d.pending, 0);
  }
  const d = new FrameDecoder();
  assert.deepEqual(d.push(Buffer.from([5, 0, 0, 0, 0x31])), []);
  assert.equal(d.pending, 5);
});
