// `redress serve` driven from Node.js as a host in any language would: a child process, one
// JSON request a line on its stdin, one JSON reply a line on its stdout. Plain Node, no packages.
// Expected values are worked by hand from rules/iso10002.toml (England and Wales calendar,
// Mon-Fri 09:00-17:00 Europe/London; 3 and 6 April 2026 are bank holidays): the final
// response is due 8 business days after Wed 1 April 14:00 BST, on 15 April 23:59:59 BST, and its
// 50% level falls after 33 h 30 min of the 67 working hours: 9 April 15:30 BST.
// Usage: node serve_test.js REDRESS_BINARY SOURCE_DIR
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');

const [redress, source] = process.argv.slice(2);
const child = spawn(redress, ['serve', '--policy', path.join(source, 'rules/iso10002.toml')],
                    { stdio: ['pipe', 'pipe', 'inherit'] });
// A service that dies with requests unanswered fails the test (otherwise Node would run out of
// work and exit 0 with the pending promises never settled).
child.on('exit', (code, signal) => {
  if (waiting.length > 0) {
    console.error(`redress serve exited (code ${code}, signal ${signal}) with ${waiting.length} request(s) unanswered`);
    process.exit(1);
  }
});
const replies = readline.createInterface({ input: child.stdout });
const waiting = [];
replies.on('line', (line) => waiting.shift()(JSON.parse(line)));

// Sends one line and resolves with the reply to it (replies come in request order).
function send(line) {
  return new Promise((resolve) => {
    waiting.push(resolve);
    child.stdin.write(line + '\n');
  });
}
const request = (value) => send(JSON.stringify(value));

async function main() {
  let r = await request({ id: 1, op: 'open', intake: {
    id: 'C-17', received: '2026-04-01T13:00:00Z',
    attributes: { kind: 'product-quality', channel: 'email', customer_name: 'Ann Example',
                  return_address: 'ann@example.org' } } });
  assert.deepStrictEqual(r, { id: 1, ok: true, result: [] });

  r = await request({ id: 'ack', op: 'apply', complaint: 'C-17',
                      event: { event: 'acknowledge', at: '2026-04-01T14:30:00+01:00' } });
  assert.deepStrictEqual(r, { id: 'ack', ok: true, result: [] });
  r = await request({ id: 2, op: 'apply', complaint: 'C-17',
                      event: { event: 'register', at: '2026-04-02T08:00:00Z', actor: 'ann' } });
  assert.strictEqual(r.ok, true);
  assert.strictEqual(r.result.length, 1);
  assert.strictEqual(r.result[0].kind, 'assignment');
  assert.strictEqual(r.result[0].who, 'quality');
  assert.strictEqual(r.result[0].at, '2026-04-02T09:00:00+01:00');   // in the calendar's offset

  // A rejected event: an error reply, and the complaint is unchanged.
  r = await request({ id: 3, op: 'apply', complaint: 'C-17',
                      event: { event: 'close', at: '2026-04-02T10:00:00+01:00' } });
  assert.strictEqual(r.id, 3);
  assert.strictEqual(r.ok, false);
  assert.strictEqual(r.error.code, 'rejected_event');
  assert.match(r.error.message, /'close' is not allowed in state 'registered'/);

  r = await request({ id: 4, op: 'next_wakeup' });
  assert.deepStrictEqual(r, { id: 4, ok: true, result: { next_wakeup: '2026-04-09T15:30:00+01:00' } });
  r = await request({ id: 5, op: 'advance', now: '2026-04-09T15:29:59+01:00' });
  assert.deepStrictEqual(r.result, []);
  r = await request({ id: 6, op: 'advance', now: '2026-04-09T14:30:00Z' });
  assert.deepStrictEqual(r.result.map((a) => [a.id, a.at, a.notify]),
                         [['C-17/final-response/L1/c1', '2026-04-09T15:30:00+01:00', ['quality']]]);

  r = await request({ id: 7, op: 'status', complaint: 'C-17', now: '2026-04-09T15:30:00+01:00' });
  assert.strictEqual(r.result.state, 'registered');
  assert.strictEqual(r.result.owner, 'quality');
  const final = r.result.clocks.find((k) => k.target === 'final-response');
  assert.strictEqual(final.due, '2026-04-15T23:59:59+01:00');
  assert.strictEqual(final.consumed, 'PT33H30M');
  assert.strictEqual(final.consumed_seconds, 33.5 * 3600);
  assert.strictEqual(final.percent_consumed, 50);

  // Snapshot, erase, restore: the complaint comes back with the same status.
  const snapshot = (await request({ id: 8, op: 'snapshot', complaint: 'C-17' })).result;
  assert.strictEqual(snapshot.format, 'redress-snapshot');
  assert.strictEqual(snapshot.format_version, 1);
  assert.deepStrictEqual(await request({ id: 9, op: 'erase', complaint: 'C-17' }),
                         { id: 9, ok: true, result: { erased: 'C-17' } });
  r = await request({ id: 10, op: 'status', complaint: 'C-17', now: '2026-04-09T15:30:00+01:00' });
  assert.strictEqual(r.error.code, 'unknown_complaint');
  r = await request({ id: 11, op: 'restore', snapshot });
  assert.deepStrictEqual(r.result.map((a) => a.id), ['C-17/owner/quality/e2', 'C-17/final-response/L1/c1']);
  r = await request({ id: 12, op: 'status', complaint: 'C-17', now: '2026-04-09T15:30:00+01:00' });
  assert.strictEqual(r.result.clocks.find((k) => k.target === 'final-response').consumed, 'PT33H30M');
  r = await request({ id: 13, op: 'history', complaint: 'C-17' });
  assert.deepStrictEqual(r.result.events.map((e) => e.event), ['acknowledge', 'register']);

  // Malformed lines: an error reply naming the line and what was expected; the service goes on.
  r = await send('{"id": 14, "op": ');   // line 15 of the input
  assert.strictEqual(r.id, null);
  assert.strictEqual(r.error.code, 'invalid_json');
  assert.strictEqual(r.error.line, 15);
  assert.strictEqual(r.error.column, 18);   // the end of the line: the value is missing
  r = await request({ id: 15, op: 'fly' });
  assert.strictEqual(r.error.code, 'invalid_request');
  assert.strictEqual(r.error.line, 16);
  assert.match(r.error.message, /unknown op "fly"; expected one of open, apply, advance/);
  r = await request({ id: 16, op: 'apply', complaint: 'C-17' });
  assert.match(r.error.message, /expected "event": the event/);
  r = await request({ id: 17, op: 'advance', now: '2026-04-10T09:00:00' });
  assert.strictEqual(r.error.code, 'invalid_value');
  assert.match(r.error.message, /^\/now: /);
  r = await request({ id: 18, op: 'open', intake: { id: 'C-18', recieved: '2026-04-01T13:00:00Z' } });
  assert.match(r.error.message, /unknown key "recieved"/);
  r = await request({ id: 19, op: 'check', policy: path.join(source, 'rules/iso10002.toml') });
  assert.deepStrictEqual([r.result.loaded, r.result.ok], [true, true]);
  r = await request({ id: 20, op: 'check', policy: path.join(source, 'rules/no-such.toml') });
  assert.deepStrictEqual([r.result.loaded, r.result.ok, r.result.diagnostics.length], [false, false, 1]);
  r = await request({ id: 21, op: 'next_wakeup' });   // still serving
  assert.deepStrictEqual(r.result, { next_wakeup: '2026-04-10T00:00:00+01:00' });

  // End of input ends the service cleanly.
  child.stdin.end();
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.strictEqual(code, 0);
  console.log('redress serve: 21 requests answered, malformed lines reported, clean exit');
}

main().catch((e) => {
  console.error(e);
  child.kill();
  process.exit(1);
});
