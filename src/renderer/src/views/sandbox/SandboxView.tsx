import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type VmError, toVmError } from '../../../../shared/errors';
import {
  type SandboxDelta,
  type SandboxState,
  type SessionEngine,
  applySandboxDelta,
} from '../../../../shared/sandboxSession';
import {
  type MachineSettings,
  boundNames,
  parseSandboxScript,
  validateNextStep,
} from '../../../../shared/sandboxScript';
import { formatCall, formatStep } from '../../../../shared/win32Call';
import { client } from '../../client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JsonFileButton } from '../../components/JsonFileButton';
import { WatchView } from '../watch/WatchView';
import { CountersChart } from './CountersChart';
import { OpPanel } from './OpPanel';
import { PageGrid } from './PageGrid';
import { PRESETS } from './presets';
import { ResultLine, stepJson } from './ResultLine';
import './sandbox.css';

type RawStep = Record<string, unknown>;

/** A loaded script's steps not run yet (run them one at a time or all at once). */
interface Pending {
  name: string;
  steps: RawStep[];
}

function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The sandbox playground: an operation panel, the pages of the sandbox's allocations, history and a chart. */
export function SandboxView() {
  const [engine, setEngine] = useState<SessionEngine>('simulated');
  const [state, setState] = useState<SandboxState | null>(null);
  const [error, setError] = useState<VmError | null>(null);
  const [busy, setBusy] = useState(true);
  const [picked, setPicked] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [machine, setMachine] = useState<MachineSettings | undefined>(undefined);
  const sessionRef = useRef<string | null>(null);
  /** Steps as their JSON instead of Win32 calls. */
  const [json, setJson] = useState(false);

  useEffect(() => {
    let current = true;
    client.call('sandbox.open', { engine }).then(
      (s) => {
        if (!current)
          return void client.call('sandbox.close', { session: s.session }).catch(() => undefined);
        sessionRef.current = s.session;
        setState(s);
        setBusy(false);
      },
      (err: unknown) => {
        if (current) setError(toVmError(err));
        setBusy(false);
      },
    );
    return () => {
      current = false;
      const session = sessionRef.current;
      sessionRef.current = null;
      if (session) void client.call('sandbox.close', { session }).catch(() => undefined);
    };
  }, [engine]);

  /** Run a call; a whole state replaces ours, a step's delta is applied to it. */
  const act = useCallback(
    async (work: (session: string) => Promise<SandboxState | SandboxDelta>): Promise<void> => {
      const session = sessionRef.current;
      if (!session) return;
      setBusy(true);
      setError(null);
      try {
        const answer = await work(session);
        setState((current) =>
          'entry' in answer ? (current ? applySandboxDelta(current, answer) : current) : answer,
        );
      } catch (err) {
        setError(toVmError(err));
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  const history = useMemo(() => state?.history ?? [], [state]);
  // The names bound so far change only when the history does; each check looks at the new step alone.
  const bound = useMemo(() => boundNames(history.map((h) => h.step)), [history]);
  const validate = (step: RawStep): string[] => {
    const checked = validateNextStep(step, bound);
    return checked.ok ? [] : checked.errors;
  };

  const loadScript = (name: string, json: unknown): void => {
    const parsed = parseSandboxScript(json);
    if (!parsed.ok) {
      setError({ code: 'invalid-input', message: `${name}: ${parsed.errors.join('; ')}` });
      return;
    }
    const script = json as { steps: RawStep[]; machine?: MachineSettings };
    setMachine(script.machine);
    setPending({ name, steps: script.steps });
    void act((session) =>
      client.call('sandbox.load', {
        session,
        script: { ...(script.machine ? { machine: script.machine } : {}), steps: [] },
      }),
    );
  };

  const runPending = async (count: number): Promise<void> => {
    if (!pending) return;
    const steps = pending.steps.slice(0, count);
    setPending(
      pending.steps.length > count ? { ...pending, steps: pending.steps.slice(count) } : null,
    );
    for (const step of steps)
      await act((session) => client.call('sandbox.step', { session, step }));
  };

  const save = (): void => {
    const script = {
      ...(engine === 'simulated' ? { engine } : {}),
      ...(machine ? { machine } : {}),
      steps: history.map((h) => h.step),
    };
    download('sandbox-script.json', `${JSON.stringify(script, null, 2)}\n`);
  };

  /** The history as a program transcript: one Win32 call and its outcome per line. */
  const saveTranscript = (): void => {
    const lines = history.map((h, i) => `${i + 1}. ${formatStep(h.step, h.result)}`);
    download('sandbox-transcript.txt', `${lines.join('\n')}\n`, 'text/plain');
  };

  const lastEntry = history[history.length - 1];
  return (
    <div className="sandbox">
      <div className="toolbar">
        <span>Engine</span>
        {(['simulated', 'live'] as const).map((e) => (
          <button
            key={e}
            type="button"
            aria-pressed={engine === e}
            onClick={() => {
              if (e === engine) return;
              setState(null);
              setBusy(true);
              setEngine(e);
            }}
            disabled={busy}
          >
            {e === 'simulated' ? 'Simulated Windows' : 'Live (real calls)'}
          </button>
        ))}
        {state?.pid != null && state.source && (
          <span className="live-pid" data-testid="live-pid">
            child pid {state.pid} ·{' '}
            <a href={`#/inspect?pid=${state.pid}&source=${state.source}`}>inspect</a> ·{' '}
            <a href={`#/watch?pid=${state.pid}&source=${state.source}`}>watch</a>
          </span>
        )}
        <span className="spacer" />
        <label>
          Preset{' '}
          <select
            aria-label="Preset"
            value=""
            onChange={(e) => {
              const preset = PRESETS.find((p) => p.name === e.target.value);
              if (preset) loadScript(preset.name, preset.script);
            }}
          >
            <option value="">choose…</option>
            {PRESETS.map((p) => (
              <option key={p.name} value={p.name} title={p.lesson}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={json} onChange={(e) => setJson(e.target.checked)} /> JSON
        </label>
        <button type="button" onClick={save} disabled={history.length === 0}>
          Save script
        </button>
        <button type="button" onClick={saveTranscript} disabled={history.length === 0}>
          Save transcript
        </button>
        <JsonFileButton
          label="Load script…"
          inputLabel="Script file"
          onFile={(file) =>
            void file.text().then(
              (text) => {
                try {
                  loadScript(file.name, JSON.parse(text));
                } catch (err) {
                  setError({
                    code: 'invalid-input',
                    message: `${file.name} is not JSON: ${(err as Error).message}`,
                  });
                }
              },
              (err: unknown) => setError(toVmError(err)),
            )
          }
        />
      </div>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {pending && (
        <div className="pending" role="status">
          {PRESETS.find((p) => p.name === pending.name)?.lesson ?? pending.name} —{' '}
          {pending.steps.length} step(s) to run; next:{' '}
          <code>{json ? JSON.stringify(pending.steps[0]) : formatCall(pending.steps[0]!)}</code>{' '}
          <button type="button" onClick={() => void runPending(1)} disabled={busy}>
            Run next step
          </button>
          <button
            type="button"
            onClick={() => void runPending(pending.steps.length)}
            disabled={busy}
          >
            Run all
          </button>
        </div>
      )}
      <div className="sandbox-body">
        <div className="sandbox-left">
          <OpPanel
            validate={validate}
            onRun={(step) => void act((session) => client.call('sandbox.step', { session, step }))}
            busy={busy || !state}
            pickedAddress={picked}
            json={json}
          />
          {lastEntry && <ResultLine entry={lastEntry} json={json} />}
          <section className="history" aria-label="History">
            <h3>
              History ({history.length}){' '}
              <button
                type="button"
                onClick={() => void act((session) => client.call('sandbox.undo', { session }))}
                disabled={busy || history.length === 0}
              >
                Undo
              </button>
              <button
                type="button"
                onClick={() => void act((session) => client.call('sandbox.reset', { session }))}
                disabled={busy || history.length === 0}
              >
                Reset
              </button>
            </h3>
            <ol>
              {history.map((h, i) => (
                <li
                  key={i}
                  className={`${h.result.ok ? 'ok' : 'failed'}${h.restarted ? ' restarted' : ''}`}
                  title={h.replayedIn ? `replayed in the live child ${h.replayedIn}` : undefined}
                >
                  <code>{json ? stepJson(h) : formatStep(h.step, h.result)}</code>
                  {h.restarted && (
                    <div className="restart-mark" data-testid="restart-mark">
                      ↻ The live child
                      {typeof h.result.info?.['pid'] === 'number'
                        ? ` ${h.result.info['pid']}`
                        : ''}{' '}
                      died here; a fresh one replayed the steps above, which now show its addresses.
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
        <div className="sandbox-right">
          {state && <PageGrid allocations={state.allocations} onPick={setPicked} />}
          {/* The live child is a whole Node process: its figures are the embedded Watch view's. */}
          {state && state.pid == null && <CountersChart history={history} />}
          {state?.pid != null && state.source && (
            <div className="sandbox-watch">
              <WatchView
                key={state.pid}
                pids={[state.pid]}
                source={state.source}
                markers={history.map((h, i) => ({ time: h.at, label: `${i + 1}. ${h.result.op}` }))}
              />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
