// The Holter report: figures from the reviewed state, an HTML page drawn with the trace's
// own drawing code, printed to PDF.
export { holterReport, eventStrips, stripWindow, STRIP_SEC, type HolterReport, type ReportInput, type ReportRecord, type EventStrip } from './model';
export { stateOfAnalysis, stateOfReview, type ReviewedState } from './reviewed-state';
export { makeReport, sourceOf, recordOf, stopIfAborted, type ReportOptions, type ReportSource } from './make';
export { reportHtml, type PaperSize } from './html';
export { printPdf, reportBrowser, ReportPrintError, type PrintBrowser } from './pdf';
