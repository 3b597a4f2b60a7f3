// The few WFDB annotation codes (<wfdb/ecgcodes.h>) the evaluator needs: beat types for the
// class mappings, and the non-beat codes that carry bxb's shutdown and VF semantics.
export const NORMAL = 1;
export const LBBB = 2;
export const RBBB = 3;
export const ABERR = 4;
export const PVC = 5;
export const FUSION = 6;
export const NPC = 7;
export const APC = 8;
export const SVPB = 9;
export const VESC = 10;
export const NESC = 11;
export const PACE = 12;
export const UNKNOWN = 13;
export const NOISE = 14;
export const BBB = 25;
export const RHYTHM = 28;
export const LEARN = 30;
export const VFON = 32;
export const VFOFF = 33;
export const AESC = 34;
export const SVESC = 35;
export const PFUS = 38;
export const RONT = 41;
