// `node --import ./loadLog.mjs …`: logs every module file the process loads (loadLogHooks.mjs).
import { register } from 'node:module';

register(new URL('./loadLogHooks.mjs', import.meta.url));
