// Module hooks (node:module register) that append each file URL the process loads to the file
// named by VMSCOPE_LOAD_LOG, one a line. Used by test/cli/commandLoads.test.ts.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && process.env.VMSCOPE_LOAD_LOG)
    appendFileSync(process.env.VMSCOPE_LOAD_LOG, `${url}\n`);
  return nextLoad(url, context);
}
