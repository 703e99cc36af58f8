/** `npm run bench`: the variant comparison, or with --switches the size/speed switch study. */
import { parseBenchArgs } from './args.js';

const argv = process.argv.slice(2);
const options = parseBenchArgs(argv);
const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
if (options.render) {
  const { renderComparison } = await import('./compare.js');
  const { renderSwitches } = await import('./switches.js');
  const done = [renderComparison(options.outDir) && 'results', renderSwitches(options.outDir) && 'switches'];
  console.log(
    `rendered from JSON in ${options.outDir}: ${done.filter(Boolean).join(', ') || 'nothing found'}`,
  );
} else if (options.switches) {
  const { runSwitchStudy } = await import('./switches.js');
  await runSwitchStudy(options, command);
} else {
  const { runComparison } = await import('./compare.js');
  const comparison = await runComparison(options, command);
  for (const t of comparison.targets)
    console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.measured}`);
}
