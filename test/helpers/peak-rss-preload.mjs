// Loaded with `node --import` into a CLI process by peak-rss.ts: at exit, whatever the exit code,
// the process's own peak resident set (VmHWM, as getrusage reports it) goes to the file it was given.
import { writeFileSync } from 'node:fs';

const file = process.env.RANDWIRE_TEST_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
