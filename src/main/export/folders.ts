// The folders the user chose for exports besides each record's own: those picked in the desktop
// app's folder dialog (this run) and, for browser mode, those listed in HEARTBEAT_EXPORT_DIRS
// (separated like PATH). The renderer can name a folder, never allow one.
import { delimiter, resolve } from 'node:path';

export class ExportFolders {
  private readonly dirs = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const d of initial) this.add(d);
  }

  static fromEnv(value = process.env.HEARTBEAT_EXPORT_DIRS): ExportFolders {
    return new ExportFolders((value ?? '').split(delimiter).filter((d) => d.trim() !== ''));
  }

  add(dir: string): void {
    this.dirs.add(resolve(dir));
  }

  list(): string[] {
    return [...this.dirs];
  }
}
