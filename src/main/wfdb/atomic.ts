// Moved to src/main/files/atomic.ts; kept for the WFDB writers and the analysis cache that import it from here.
export * from '../files/atomic';
