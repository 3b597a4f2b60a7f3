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
    // one byte more than the bound: a file that grew since its stat is still caught
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = await fh.read(buf, n, buf.length - n, n)).bytesRead > 0;) n += r.bytesRead;
    if (n > maxBytes) throw tooLarge(n);
    return buf.subarray(0, n);
  } catch (err) {
    throw fsError(file, err);
  } finally {
    await fh.close();
  }
}
