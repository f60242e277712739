/**
 * The operation panel's fields, derived from the script's op table (SCRIPT_OPS), so ops added to
 * the table (heaps, file mappings) get a form without changes here. Known field names get a
 * dedicated control; any other field is a text box whose value is sent as a number when it is one.
 */
import { MEM_FLAGS, PAGE_FLAGS, PAGE_MODIFIERS } from '../../../../shared/winConstants';
import { SCRIPT_OPS, type ScriptOpName } from '../../../../shared/sandboxScript';

export type FieldKind = 'address' | 'size' | 'memType' | 'protect' | 'nullPointer' | 'text';

export interface OpField {
  name: string;
  kind: FieldKind;
  /** The schema accepts the step without this field (it has a default or is optional). */
  optional: boolean;
}

const KINDS: Readonly<Record<string, FieldKind>> = {
  address: 'address',
  size: 'size',
  type: 'memType',
  protect: 'protect',
  oldProtect: 'nullPointer',
};

/** Fields every step has that the panel handles itself. */
const COMMON = new Set(['op', 'as', 'note']);

export function opFields(op: ScriptOpName): OpField[] {
  const shape = SCRIPT_OPS[op].shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean } }
  >;
  return Object.keys(shape)
    .filter((name) => !COMMON.has(name))
    .map((name) => ({
      name,
      kind: KINDS[name] ?? 'text',
      optional: shape[name]!.safeParse(undefined).success,
    }));
}

/** MEM_* flags a call can take (not the State/Type values VirtualQuery reports). */
export const MEM_TYPE_FLAGS = Object.keys(MEM_FLAGS).filter(
  (n) => !['MEM_FREE', 'MEM_PRIVATE', 'MEM_MAPPED', 'MEM_IMAGE'].includes(n),
) as (keyof typeof MEM_FLAGS)[];

export const PROTECT_BASES = Object.entries(PAGE_FLAGS)
  .filter(([, v]) => (v & PAGE_MODIFIERS) === 0)
  .map(([n]) => n);
export const PROTECT_MODIFIERS = Object.entries(PAGE_FLAGS)
  .filter(([, v]) => (v & PAGE_MODIFIERS) !== 0)
  .map(([n]) => n);

/** What the form holds for one field: text, or the checked flag names. */
export type FieldValue = string | string[] | boolean;

export function defaultValue(op: ScriptOpName, field: OpField): FieldValue {
  switch (field.kind) {
    case 'memType':
      return op === 'VirtualFree' ? ['MEM_RELEASE'] : ['MEM_RESERVE'];
    case 'protect':
      return ['PAGE_READWRITE'];
    case 'nullPointer':
      return false;
    case 'size':
      return op === 'VirtualFree' ? '0' : op === 'VirtualAlloc' ? '0x10000' : '4096';
    default:
      return '';
  }
}

/** The step as script JSON; empty optional fields are left out so the schema's defaults apply. */
export function buildStep(
  op: ScriptOpName,
  fields: OpField[],
  values: Record<string, FieldValue>,
  as: string,
): Record<string, unknown> {
  const step: Record<string, unknown> = { op };
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'nullPointer') {
      if (value === true) step[field.name] = null;
    } else if (Array.isArray(value)) {
      step[field.name] = value.join('|');
    } else if (typeof value === 'string') {
      const text = value.trim();
      if (text === '') {
        if (field.kind === 'address' && !field.optional) step[field.name] = null;
        continue;
      }
      step[field.name] = field.kind === 'text' && /^-?\d+$/.test(text) ? Number(text) : text;
    }
  }
  if (as.trim()) step['as'] = as.trim();
  return step;
}
