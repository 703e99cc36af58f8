import type { DoctorReport } from './doctor.js';

/** The human report: one verdict line per check, the fix under it, and a closing summary. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = [
    `${report.target}: ${report.kind === 'zip' ? 'zip' : 'executable'}, checked for ${report.runtime} on ${report.architecture}` +
      (report.settingsSource ? ` (as set in ${report.settingsSource})` : ''),
  ];
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    lines.push(`${check.verdict.padEnd(4)}  ${check.id.padEnd(width)}  ${check.reason}`);
    if (check.fix && check.verdict !== 'PASS') lines.push(`${' '.repeat(width + 8)}fix: ${check.fix}`);
  }
  const count = (verdict: string) => report.checks.filter((c) => c.verdict === verdict).length;
  const failed = count('FAIL');
  lines.push(
    `${failed} FAIL, ${count('WARN')} WARN, ${count('PASS')} PASS: ` +
      (failed > 0 ? 'it will not start on Lambda as it is.' : 'nothing stops it from starting on Lambda.'),
  );
  return lines.join('\n');
}
