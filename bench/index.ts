// `npm run bench [-- area ...]`: runs every bench/<area>.bench.ts (or the named ones) and prints its table.
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { formatTable, type BenchTable } from './harness';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks match ${wanted.join(', ')}`);
  process.exit(2);
}
console.log(`# Heartbeat Sensei benchmarks — ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}`);
for (const f of files) {
  const mod = (await import(pathToFileURL(resolve(dir, f)).href)) as { run(): Promise<BenchTable | BenchTable[]> };
  const tables = await mod.run();
  for (const t of Array.isArray(tables) ? tables : [tables]) console.log(formatTable(t));
}
