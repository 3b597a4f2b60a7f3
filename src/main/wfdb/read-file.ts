// A record's small files (its header, its annotations) read whole, within a size bound, and only
// when they are regular files: a FIFO would block a thread of the I/O pool for good, and a device
// such as /dev/zero (a link to it named like a header) would be read until memory ran out.
import { open, stat } from 'node:fs/promises';
import { WfdbError, fsError } from './errors';

/** The bytes of `file`; a WfdbError naming it when it is not a regular file or holds more than `maxBytes` (`tooLarge` says so). */
export async function readRegularFile(file: string, maxBytes: number, tooLarge: (bytes: number) => WfdbError): Promise<Buffer> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    throw fsError(file, err);
  }
  if (st.isDirectory()) throw new WfdbError('NOT_FOUND', file, 'is a directory, not a file');
  if (!st.isFile()) throw new WfdbError('NOT_FOUND', file, 'is not a regular file');
  if (st.size > maxBytes) throw tooLarge(st.size);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw fsError(file, err);
  }
  try {
    // to the end, whatever the stat said (a file that grew since, a file system that reports 0), and
    // no further than one byte past the bound
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - n, 0) + 65_536, maxBytes + 1 - n));
      const { bytesRead } = await fh.read(buf, 0, buf.length, n);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      n += bytesRead;
      if (n > maxBytes) throw tooLarge(n);
    }
    return Buffer.concat(chunks, n);
  } catch (err) {
    throw fsError(file, err);
  } finally {
    await fh.close();
  }
}
