// The report channels' requests and responses (src/main/report): the renderer sends the review as
// it stands (the same export the Export button writes) and gets the page or the printed PDF back.
import { z } from 'zod';
import { ModelUse, Recording } from './analysis';
import { ReviewExport, RecordPath } from './review';
import { ScanSettings } from './scan-settings';

export const PaperSize = z.enum(['A4', 'Letter']);
export type PaperSize = z.infer<typeof PaperSize>;

export const ReportRequest = z
  .object({
    recordPath: RecordPath,
    review: ReviewExport,
    /** The models of the analysis under the review (the report's header names them). */
    models: z.array(ModelUse).max(8).default([]),
    /** The analysis's recording-level call, shown in the header as the model's. */
    recording: Recording.optional(),
    /** The signals the analysis read (strips and full disclosure draw them; default the record's ECG leads). */
    leads: z.array(z.number().int().nonnegative()).min(1).max(2).optional(),
    paper: PaperSize.default('A4'),
    fullDisclosure: z.boolean().default(false),
    scan: ScanSettings.optional(),
    /** Names this report's work: its progress events carry it, report:cancel stops it. */
    jobId: z.string().min(1).max(100).optional(),
    /** Strips the reviewer added from the trace: a sample and what it shows. */
    marked: z
      .array(z.object({ sample: z.number().int().nonnegative(), note: z.string().max(200) }).strict())
      .max(100)
      .optional(),
  })
  .strict();
export type ReportRequest = z.input<typeof ReportRequest>;

export const ReportPage = z.object({ html: z.string(), strips: z.number().int() });
export const ReportPdf = z.object({ pdf: z.instanceof(Uint8Array), name: z.string() });
