// `redress serve`'s reload_policy from a Node.js host: the same policy version read again after
// its calendar changed. Instants worked by hand (tests/unit/engine_migrate_tests.cpp, "a reloaded
// calendar recomputes the open complaints"): tests/data/migrate/v1.toml, England and Wales, Mon-Fri
// 09:00-17:00, December in GMT; contact within 4 business hours, L1 at 50% (2 working hours).
// M-1 received Mon 7 Dec 2026 09:00: L1 11:00. The calendar reloaded with Mon 7 Dec closed
// (tests/data/migrate/v1-closed-7-dec.toml, the same version): working hours start Tue 8 Dec
// 09:00, so L1 is taken back at 11:00 Monday and fires Tue 11:00 as revision 2.
// Usage: node reload_test.js REDRESS_BINARY SOURCE_DIR
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');

const [redress, source] = process.argv.slice(2);
const data = (name) => path.join(source, 'tests/data', name);
const child = spawn(redress, ['serve', '--policy', data('migrate/v1.toml')], { stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = [];
child.on('exit', (code, signal) => {
  if (waiting.length > 0) {
    console.error(`redress serve exited (code ${code}, signal ${signal}) with ${waiting.length} request(s) unanswered`);
    process.exit(1);
  }
});
readline.createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()(JSON.parse(line)));
const request = (value) => new Promise((resolve) => {
  waiting.push(resolve);
  child.stdin.write(JSON.stringify(value) + '\n');
});
const lines = (actions) => actions.map((a) => (a.kind === 'retracted' ? `${a.id} retracts ${a.retracts} at ${a.at}`
                                                                       : `${a.id} at ${a.at}`));

async function main() {
  let r = await request({ id: 1, op: 'open', intake: { id: 'M-1', received: '2026-12-07T09:00:00Z', attributes: {} } });
  assert.deepStrictEqual(r, { id: 1, ok: true, result: [] });
  r = await request({ id: 2, op: 'advance', now: '2026-12-07T12:00:00Z' });
  assert.deepStrictEqual(lines(r.result), ['M-1/contact/L1/c1 at 2026-12-07T11:00:00+00:00']);

  r = await request({ id: 3, op: 'reload_policy', policy: data('migrate/v1-closed-7-dec.toml') });
  assert.strictEqual(r.ok, true, JSON.stringify(r));
  assert.deepStrictEqual(lines(r.result), ['M-1/contact/L1/c1/retracted retracts M-1/contact/L1/c1 at 2026-12-07T11:00:00+00:00']);
  r = await request({ id: 4, op: 'status', complaint: 'M-1', now: '2026-12-07T12:00:00Z' });
  assert.strictEqual(r.result.clocks[0].due, '2026-12-08T13:00:00+00:00');
  r = await request({ id: 5, op: 'advance', now: '2026-12-08T12:00:00Z' });
  assert.deepStrictEqual(lines(r.result), ['M-1/contact/L1/c1/r2 at 2026-12-08T11:00:00+00:00']);

  // A file that does not load is a load_error at its place; a version the service does not hold
  // is refused; neither changes anything.
  r = await request({ id: 6, op: 'reload_policy', policy: data('migrate/no-such.toml') });
  assert.strictEqual(r.error.code, 'load_error');
  assert.strictEqual(r.error.file, data('migrate/no-such.toml'));
  assert.match(r.error.message, /^cannot read file ".*no-such.toml": No such file or directory$/);
  r = await request({ id: 7, op: 'reload_policy', policy: data('migrate/v2.toml') });
  assert.strictEqual(r.error.code, 'unknown_policy_version');
  assert.match(r.error.message, /no policy version "2" in this engine to reload/);
  r = await request({ id: 8, op: 'reload_policy' });
  assert.strictEqual(r.error.code, 'invalid_request');
  r = await request({ id: 9, op: 'next_wakeup' });
  assert.deepStrictEqual(r.result, { next_wakeup: '2026-12-08T13:00:01+00:00' });

  child.stdin.end();
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.strictEqual(code, 0);
  console.log('redress serve: reload_policy retracted L1 and fired it Tuesday as /r2; bad reloads refused');
}

main().catch((e) => {
  console.error(e);
  child.kill();
  process.exit(1);
});
