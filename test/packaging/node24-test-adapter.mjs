// Preloaded (--import) only into the Node 24 run of node-matrix.test.ts.
//
// yeoman-test's prompt double, TestAdapter of @yeoman/adapter 4.0.2, gives inquirer an output stream made
// with `Duplex.from(async () => {})`: a placeholder that ignores what is written. Since Node 23
// (nodejs/node#55096) such a duplex is destroyed with an AbortError once the function returns, and nothing
// listens, so every generator test on Node 24 ends in an uncaught AbortError although the generator ran
// correctly (the bin and the packed package, which use the real adapter, run clean on Node 24).
//
// Only streams built from a function taking no argument (it cannot read its input: a placeholder) get a
// listener, and it drops only that AbortError. The product never calls Duplex.from; p-transform and execa
// pass functions that take their source. Applied for adapter 4.0.2 only: 5.x builds its streams otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

// The package exports no ./package.json: walk up from the testing entry to find its version.
let dir = dirname(fileURLToPath(import.meta.resolve('@yeoman/adapter/testing')));
while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

if (version === '4.0.2' && Number(process.versions.node.split('.')[0]) >= 23) {
  const from = Duplex.from.bind(Duplex);
  Duplex.from = (body) => {
    const stream = from(body);
    if (typeof body === 'function' && body.length === 0) {
      stream.on('error', (error) => {
        if (error?.code !== 'ABORT_ERR') throw error;
      });
    }
    return stream;
  };
}
