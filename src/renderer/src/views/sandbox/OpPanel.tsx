import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSize } from '../../../../shared/format';
import { MAX_U64, SCRIPT_OP_NAMES, type ScriptOpName } from '../../../../shared/sandboxScript';
import { formatCall } from '../../../../shared/win32Call';
import { problemText } from '../../i18n/engineText';
import {
  type FieldValue,
  MEM_TYPE_FLAGS,
  type OpField,
  PROTECT_BASES,
  PROTECT_MODIFIERS,
  buildStep,
  defaultValue,
  opFields,
} from './opFields';

export interface OpPanelProps {
  /** Checks a step against the script so far; returns the problems (empty when it may be sent). */
  validate: (step: Record<string, unknown>) => string[];
  onRun: (step: Record<string, unknown>) => void;
  busy: boolean;
  /** Set by clicking a page: goes into the address field. */
  pickedAddress: string | null;
  /** Preview the step as JSON instead of a Win32 call. */
  json: boolean;
}

function Checks({
  names,
  checked,
  onChange,
  radio,
}: {
  names: string[];
  checked: string[];
  onChange: (next: string[]) => void;
  radio?: boolean;
}) {
  return (
    <span className="checks">
      {names.map((name) => (
        <label key={name}>
          <input
            type={radio ? 'radio' : 'checkbox'}
            checked={checked.includes(name)}
            onChange={(e) =>
              onChange(
                radio
                  ? [name]
                  : e.target.checked
                    ? [...checked, name]
                    : checked.filter((n) => n !== name),
              )
            }
          />
          {name.replace(/^(PAGE|MEM)_/, '')}
        </label>
      ))}
    </span>
  );
}

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: OpField;
  value: FieldValue;
  onChange: (v: FieldValue) => void;
}) {
  if (field.kind === 'memType')
    return <Checks names={MEM_TYPE_FLAGS} checked={value as string[]} onChange={onChange} />;
  if (field.kind === 'protect') {
    return <ProtectField value={value as string[]} onChange={onChange} />;
  }
  if (field.kind === 'nullPointer')
    return <NullPointer value={value === true} onChange={onChange} />;
  return <TextInput field={field} value={value as string} onChange={onChange} />;
}

function ProtectField({ value, onChange }: { value: string[]; onChange: (v: FieldValue) => void }) {
  const { t } = useTranslation();
  const base = value.filter((n) => PROTECT_BASES.includes(n));
  const mods = value.filter((n) => PROTECT_MODIFIERS.includes(n));
  return (
    <span className="protect-field">
      <Checks
        names={PROTECT_BASES}
        checked={base}
        onChange={(b) => onChange([...b, ...mods])}
        radio
      />
      <span className="dim">{t('op.modifiers')}</span>
      <Checks
        names={PROTECT_MODIFIERS}
        checked={mods}
        onChange={(m) => onChange([...base, ...m])}
      />
    </span>
  );
}

function NullPointer({ value, onChange }: { value: boolean; onChange: (v: FieldValue) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />{' '}
      {t('op.passNull')}
    </label>
  );
}

function TextInput({
  field,
  value,
  onChange,
}: {
  field: OpField;
  value: string;
  onChange: (v: FieldValue) => void;
}) {
  const { t, i18n } = useTranslation();
  const placeholder =
    field.kind === 'address'
      ? t('op.addressPlaceholder')
      : field.kind === 'size'
        ? t('op.sizePlaceholder')
        : '';
  const hint = valueHint(field, value);
  return (
    <span className="text-field">
      <input
        type="text"
        aria-label={
          i18n.exists(`op.fields.${field.name}`) ? t(`op.fields.${field.name}`) : field.name
        }
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <span className="dim value-hint" data-testid={`hint-${field.name}`}>
          {hint}
        </span>
      )}
    </span>
  );
}

/** What a typed size or address means: `= 1 TiB` for 0x10000000000, `= 0x10000` for 65536. */
function valueHint(field: OpField, text: string): string | null {
  const t = text.trim();
  if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(t)) return null;
  const n = BigInt(t);
  if (n > MAX_U64) return null;
  if (field.kind === 'size') return `= ${formatSize(n)}`;
  if (field.kind === 'address' && !/^0[xX]/.test(t)) return `= 0x${n.toString(16)}`;
  return null;
}

/** A form per operation, generated from the op table, validated before it is sent. */
export function OpPanel({ validate, onRun, busy, pickedAddress, json }: OpPanelProps) {
  const { t, i18n } = useTranslation();
  const [op, setOp] = useState<ScriptOpName>('VirtualAlloc');
  const fields = useMemo(() => opFields(op), [op]);
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const [as, setAs] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const valueOf = (f: OpField): FieldValue => values[`${op}.${f.name}`] ?? defaultValue(op, f);
  // A page click fills the address field (once per click).
  if (pickedAddress !== picked) {
    setPicked(pickedAddress);
    if (pickedAddress && fields.some((f) => f.kind === 'address'))
      setValues((v) => ({ ...v, [`${op}.address`]: pickedAddress }));
  }
  const step = buildStep(
    op,
    fields,
    Object.fromEntries(fields.map((f) => [f.name, valueOf(f)])),
    as,
  );
  const problems = validate(step);

  return (
    <form
      className="op-panel"
      aria-label={t('op.formLabel')}
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) onRun(step);
      }}
    >
      <label className="op-row">
        <span>{t('op.operation')}</span>
        {/* Op names are the API's identifiers: not translated. */}
        <select
          translate="no"
          aria-label={t('op.formLabel')}
          value={op}
          onChange={(e) => setOp(e.target.value as ScriptOpName)}
        >
          {SCRIPT_OP_NAMES.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      {fields.map((field) => (
        <div className="op-row" key={`${op}.${field.name}`}>
          <span>
            {i18n.exists(`op.fields.${field.name}`) ? t(`op.fields.${field.name}`) : field.name}
            {field.optional ? '' : ' *'}
          </span>
          <FieldInput
            field={field}
            value={valueOf(field)}
            onChange={(v) => setValues((prev) => ({ ...prev, [`${op}.${field.name}`]: v }))}
          />
        </div>
      ))}
      <label className="op-row">
        <span>{t('op.bindAs')}</span>
        <input
          type="text"
          aria-label={t('op.bindAs')}
          value={as}
          placeholder={t('op.bindPlaceholder')}
          onChange={(e) => setAs(e.target.value)}
        />
      </label>
      <code className="op-preview" data-testid="op-preview">
        {json || problems.length > 0 ? JSON.stringify(step) : formatCall(step)}
      </code>
      {problems.length > 0 && (
        // The schema's messages are shared with the CLI and the service, in English: shown in
        // the UI's language where known, else marked English.
        <ul className="op-problems" role="status">
          {problems.map((p) => {
            const shown = problemText(p);
            return (
              <li key={p} lang={shown.translated ? undefined : 'en'}>
                {shown.text}
              </li>
            );
          })}
        </ul>
      )}
      <button type="submit" disabled={busy || problems.length > 0}>
        {t('op.run', { op })}
      </button>
    </form>
  );
}
