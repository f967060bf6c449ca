// The peer: moment-business-time 2.0.0 computing the same deadlines as `redress due --batch`.
// Reads TIME<TAB>DURATION lines ("N business hours" / "N business minutes"), prints one deadline
// per line in RFC 3339 with the local offset, and reports the compute time (excluding start-up
// and I/O) on stderr as JSON. Local time is the process's TZ, as the library requires.
//   TZ=Europe/London node moment-business-time.js INPUT CALENDAR_JSON
// CALENDAR_JSON: {"hours": {"1": ["09:00:00", "17:00:00"], ...}, "holidays": ["2026-04-03", ...]}
'use strict';
const fs = require('fs');
const moment = require('moment-business-time');

const [input, calendarJson] = process.argv.slice(2);
const calendar = JSON.parse(fs.readFileSync(calendarJson, 'utf8'));
const workinghours = {};
for (let day = 0; day < 7; day++) workinghours[day] = calendar.hours[day] || null;
moment.updateLocale('en', { workinghours, holidays: calendar.holidays || [] });

const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.length > 0);
const jobs = lines.map((l) => {
  const [time, duration] = l.split('\t');
  const m = /^(\d+) business (hour|minute)s?$/.exec(duration);
  if (!m) throw new Error(`unsupported duration for the peer: ${duration}`);
  return { time, amount: Number(m[1]), unit: m[2] === 'hour' ? 'hours' : 'minutes' };
});
const out = new Array(jobs.length);
const started = process.hrtime.bigint();
for (let i = 0; i < jobs.length; i++) {
  out[i] = moment(jobs[i].time).addWorkingTime(jobs[i].amount, jobs[i].unit);
}
const elapsed = Number(process.hrtime.bigint() - started);
process.stdout.write(out.map((m) => m.format('YYYY-MM-DDTHH:mm:ssZ')).join('\n') + '\n');
process.stderr.write(JSON.stringify({ operations: jobs.length, nanoseconds: elapsed, ns_per_op: elapsed / jobs.length }) + '\n');
