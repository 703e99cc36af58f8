/**
 * Calls back once a burst of source changes has settled: C#, project and JSON/XML files under the project
 * root, not build output, tests or version control.
 */
import { watch, type FSWatcher } from 'node:fs';

const sourceFile = /\.(cs|csproj|props|targets|json|xml)$/i;
const ignoredFolder = /(^|[\\/])(bin|obj|artifacts|\.git|\.vs|\.idea|node_modules|TestResults|test)([\\/]|$)/;

export function isWatchedSource(relativePath: string): boolean {
  return (
    sourceFile.test(relativePath) &&
    !ignoredFolder.test(relativePath) &&
    !relativePath.endsWith('.yo-rc.json')
  );
}

export function watchSources(root: string, onChange: (files: string[]) => void, settleMs = 250): () => void {
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, file) => {
    if (file === null || !isWatchedSource(file.toString())) return;
    changed.add(file.toString());
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed = new Set();
      onChange(files);
    }, settleMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
