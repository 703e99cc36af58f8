/**
 * Runs doctor once in its own process and prints the report with the time it took and the process's peak
 * resident memory, so the hostile-zip tests can bound both. Usage: node --import tsx measure-doctor.ts <target>
 */
import { runDoctor } from '../../src/doctor/index.js';

const started = performance.now();
const report = await runDoctor(process.argv[2] as string);
const ms = Math.round(performance.now() - started);
// maxRSS is in kilobytes (getrusage's ru_maxrss).
const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ ms, peakRssMB, checks: report.checks, executable: report.executable }));
