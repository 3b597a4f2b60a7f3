// The report channels' requests and responses (src/main/report): the renderer sends the review as
// it stands (the same export the Export button writes) and gets the page or the printed PDF back.
import * as z from './zod';
import { ModelUse, Recording } from './analysis';
import { ReviewExport, RecordPath } from './review';
import { ScanSettings } from './scan-settings';

export const PaperSize = z.enum(['A4', 'Letter']);
export type PaperSize = z.infer<typeof PaperSize>;

export const ReportRequest = z.strictObject({
  recordPath: RecordPath,
  review: ReviewExport,
  /** The models of the analysis under the review (the report's header names them). */
  models: z._default(z.array(ModelUse).check(z.maxLength(8)), []),
  /** The analysis's recording-level call, shown in the header as the model's. */
  recording: z.optional(Recording),
  /** The signals the analysis read (strips and full disclosure draw them; default the record's ECG leads). */
  leads: z.optional(z.array(z.int().check(z.nonnegative())).check(z.minLength(1), z.maxLength(2))),
  paper: z._default(PaperSize, 'A4'),
  fullDisclosure: z._default(z.boolean(), false),
  scan: z.optional(ScanSettings),
  /** Names this report's work: its progress events carry it, report:cancel stops it. */
  jobId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** Strips the reviewer added from the trace: a sample and what it shows. */
  marked: z.optional(z.array(z.strictObject({ sample: z.int().check(z.nonnegative()), note: z.string().check(z.maxLength(200)) })).check(z.maxLength(100))),
});
export type ReportRequest = z.input<typeof ReportRequest>;

export const ReportPage = z.object({ html: z.string(), strips: z.int() });
export const ReportPdf = z.object({ pdf: z.instanceof(Uint8Array), name: z.string() });
