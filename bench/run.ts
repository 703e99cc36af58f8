/** `npm run bench`: the variant comparison, or with --switches the size/speed switch study. */
import { parseBenchArgs } from './args.js';
import { runComparison } from './compare.js';

const argv = process.argv.slice(2);
const options = parseBenchArgs(argv);
const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
if (options.switches) {
  const { runSwitchStudy } = await import('./switches.js');
  await runSwitchStudy(options, command);
} else {
  const comparison = await runComparison(options, command);
  for (const t of comparison.targets)
    console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.measured}`);
}
