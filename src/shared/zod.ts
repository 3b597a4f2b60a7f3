// zod for every schema, imported as `import * as z from './zod'`: zod/mini, whose unused parts the
// bundlers drop (classic zod is one 750 KB chunk that each process, CLI and workers, spends ~25 ms
// importing), with the English messages classic zod sets itself and mini leaves unset. Re-exported
// with `export *`: a namespace object passed on whole would keep all of zod in the bundle.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
