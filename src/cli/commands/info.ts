// heartbeat-sensei info <record>: what a WFDB record holds.
import type { CliCommand } from '../index';
import { parseArgs } from '../args';
import { CliError } from '../errors';
import { listAnnotators, openRecord } from '../../main/wfdb';

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  const ss = s.toFixed(3).padStart(6, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const info: CliCommand = {
  summary: 'Show a WFDB record: signals, rate, duration, formats, annotators present (--verify: check the checksums).',
  usage: 'info <record> [--verify]',
  async run(argv) {
    const p = parseArgs(argv, { verify: { type: 'boolean' } });
    if (p.positionals.length !== 1) throw new CliError('info needs exactly one record path');
    const rec = await openRecord(p.positionals[0]!);
    try {
      const h = rec.header;
      const out: string[] = [];
      out.push(`record    ${rec.name}  (${rec.dir})`);
      if (h.segments) out.push(`segments  ${h.segments.length} (${h.segments.filter((s) => s.name === '~').length} null)`);
      out.push(`signals   ${h.signals.length}`);
      out.push(`rate      ${rec.fs} frames/s${h.counterFreq !== rec.fs ? `, counter ${h.counterFreq} Hz from ${h.baseCounter}` : ''}`);
      out.push(`length    ${rec.nFrames} frames = ${formatDuration(rec.nFrames / rec.fs)}`);
      if (h.baseTime || h.baseDate) out.push(`start     ${[h.baseTime, h.baseDate].filter(Boolean).join(' ')}`);
      out.push('');
      out.push(['#', 'description', 'file', 'format', 'spf', 'gain', 'baseline', 'units', 'bits', 'checksum'].join('\t'));
      const checks = p.flags.verify ? await rec.verifyChecksums() : [];
      h.signals.forEach((s, i) => {
        let fmt = String(s.format);
        if (s.skew) fmt += `:${s.skew}`;
        if (s.byteOffset) fmt += `+${s.byteOffset}`;
        const c = checks.find((x) => x.signal === i);
        out.push(
          [
            i,
            s.description || '-',
            s.fileName,
            fmt,
            s.samplesPerFrame,
            s.adcGain || '200 (uncalibrated)',
            s.baseline,
            s.units,
            s.adcResolution,
            c ? `${c.status}` : (s.checksum ?? '-'),
          ].join('\t')
        );
      });
      const anns = await listAnnotators(rec.dir, rec.name, h);
      out.push('');
      out.push(`annotators ${anns.length ? anns.map((a) => `${a.annotator} (${a.count})`).join(', ') : 'none'}`);
      if (h.comments.length) {
        out.push('');
        for (const c of h.comments) out.push(`# ${c}`);
      }
      for (const w of rec.warnings) out.push(`warning: ${w}`);
      console.log(out.join('\n'));
      return checks.some((c) => !c.ok) ? 1 : 0;
    } finally {
      await rec.close();
    }
  },
};

export default info;
