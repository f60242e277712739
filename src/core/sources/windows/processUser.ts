import type { Win32 } from './bindings';
import type { ProcessHandle } from './processHandle';
import { TOKEN_QUERY, TokenUser } from '../../win32/constants';
import { decodeWideString } from './win32Structs';

/** TOKEN_USER plus the SID it points into: SIDs are at most 68 bytes. */
const TOKEN_USER_BYTES = 128;
const NAME_CHARS = 256;

/**
 * The account a process runs as (Task Manager's "User name": the name without its domain),
 * from its token's TokenUser SID; null where the token may not be opened (protected and
 * system processes without elevation).
 */
export function processUser(api: Win32, process: ProcessHandle): string | null {
  const tokenOut = new BigUint64Array(1);
  if (!api.OpenProcessToken(process.handle, TOKEN_QUERY, tokenOut)) return null;
  const token = tokenOut[0] ?? null;
  try {
    const info = Buffer.alloc(TOKEN_USER_BYTES);
    if (!api.GetTokenInformation(token, TokenUser, info, info.length, new Uint32Array(1)))
      return null;
    // TOKEN_USER.User.Sid points into `info` itself, which stays alive for the lookup.
    const sid = info.readBigUInt64LE(0);
    const name = Buffer.alloc(NAME_CHARS * 2);
    const domain = Buffer.alloc(NAME_CHARS * 2);
    const nameChars = new Uint32Array([NAME_CHARS]);
    const domainChars = new Uint32Array([NAME_CHARS]);
    const ok = api.LookupAccountSidW(
      null,
      sid,
      name,
      nameChars,
      domain,
      domainChars,
      new Uint32Array(1),
    );
    return ok ? decodeWideString(name, nameChars[0]) : null;
  } finally {
    api.CloseHandle(token);
  }
}
