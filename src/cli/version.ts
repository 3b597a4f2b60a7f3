// The version `heartbeat-sensei --version` prints: package.json's, found above this module (the
// sources or the bundle in out/cli), read only when asked.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function cliVersion(from = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'heartbeat-sensei' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
