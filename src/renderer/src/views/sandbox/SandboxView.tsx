import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
import { LESSONS, lessonById } from '../../../../shared/lessons';
import type { Lesson } from '../../../../shared/lessons/lesson';
import { changedPages } from './changes';
import { type LessonProgress, LessonPlayer } from './LessonPlayer';
import { ResultLine, stepJson } from './ResultLine';
import { StepChanges } from './StepChanges';
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
  const { t, i18n } = useTranslation();
  /** The state before the last step, for the highlights (null after a load, undo or reset). */
  const [previous, setPrevious] = useState<SandboxState | null>(null);
  const [lesson, setLesson] = useState<LessonProgress | null>(null);
  const [watchHref, setWatchHref] = useState<string | null>(null);

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
        setState((current) => {
          setPrevious('entry' in answer ? current : null);
          return 'entry' in answer
            ? current
              ? applySandboxDelta(current, answer)
              : current
            : answer;
        });
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

  /** Start a lesson on a fresh simulated session with its machine; its steps then run one by one. */
  const startLesson = (chosen: Lesson): void => {
    setPending(null);
    setMachine(chosen.machine);
    setLesson({ lesson: chosen, ran: 0 });
    void act((session) =>
      client.call('sandbox.load', {
        session,
        script: { ...(chosen.machine ? { machine: chosen.machine } : {}), steps: [] },
      }),
    );
  };

  const nextLessonStep = async (): Promise<void> => {
    if (!lesson) return;
    const step = lesson.lesson.steps[lesson.ran];
    if (!step) return;
    setLesson({ ...lesson, ran: lesson.ran + 1 });
    await act((session) => client.call('sandbox.step', { session, step: step.step }));
  };

  // The process a lesson ends by watching: its pid on the simulated source, looked up by name.
  const watchName = lesson?.lesson.watch ?? null;
  useEffect(() => {
    if (!watchName) return;
    let current = true;
    client.call('processes.list', { source: 'simulated' }).then(
      (list) => {
        const found = list.find((p) => p.name === watchName);
        if (current && found) setWatchHref(`#/watch?pid=${found.pid}&source=simulated`);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [watchName]);

  const changed = useMemo(
    () => (state && previous ? changedPages(previous.allocations, state.allocations) : undefined),
    [state, previous],
  );
  const focus = lesson && lesson.ran > 0 ? lesson.lesson.steps[lesson.ran - 1]!.focus : null;

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
        <span>{t('sandbox.engine')}</span>
        {(['simulated', 'live'] as const).map((e) => (
          <button
            key={e}
            type="button"
            aria-pressed={engine === e}
            onClick={() => {
              if (e === engine) return;
              setState(null);
              setPrevious(null);
              setLesson(null);
              setBusy(true);
              setEngine(e);
            }}
            disabled={busy}
          >
            {e === 'simulated' ? t('sandbox.simulated') : t('sandbox.live')}
          </button>
        ))}
        {state?.pid != null && state.source && (
          <span className="live-pid" data-testid="live-pid">
            {t('sandbox.childPid', { pid: state.pid })} ·{' '}
            <a href={`#/inspect?pid=${state.pid}&source=${state.source}`}>{t('sandbox.inspect')}</a>{' '}
            · <a href={`#/watch?pid=${state.pid}&source=${state.source}`}>{t('sandbox.watch')}</a>
          </span>
        )}
        {engine === 'simulated' && (
          <a href="#/physical" className="physical-link">
            {t('sandbox.physical')}
          </a>
        )}
        <span className="spacer" />
        <label>
          {t('sandbox.lesson')}{' '}
          <select
            aria-label={t('sandbox.lesson')}
            value={lesson?.lesson.id ?? ''}
            disabled={engine !== 'simulated' || busy}
            onChange={(e) => {
              const chosen = lessonById(e.target.value);
              if (chosen) startLesson(chosen);
            }}
          >
            <option value="">{t('sandbox.chooseLesson')}</option>
            {LESSONS.map((l, i) => (
              <option key={l.id} value={l.id}>
                {i + 1}. {l.title[i18n.language === 'ko' ? 'ko' : 'en']}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={json} onChange={(e) => setJson(e.target.checked)} />{' '}
          <span title={t('sandbox.jsonTitle')}>{t('sandbox.json')}</span>
        </label>
        <button type="button" onClick={save} disabled={history.length === 0}>
          {t('sandbox.saveScript')}
        </button>
        <button type="button" onClick={saveTranscript} disabled={history.length === 0}>
          {t('sandbox.saveTranscript')}
        </button>
        <JsonFileButton
          label={t('sandbox.loadScript')}
          inputLabel={t('sandbox.scriptFile')}
          onFile={(file) =>
            void file.text().then(
              (text) => {
                try {
                  loadScript(file.name, JSON.parse(text));
                } catch (err) {
                  setError({
                    code: 'invalid-input',
                    message: t('sandbox.notJson', {
                      name: file.name,
                      reason: (err as Error).message,
                    }),
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
          {t('sandbox.pending', { name: pending.name, count: pending.steps.length })}{' '}
          <code>{json ? JSON.stringify(pending.steps[0]) : formatCall(pending.steps[0]!)}</code>{' '}
          <button type="button" onClick={() => void runPending(1)} disabled={busy}>
            {t('sandbox.runNext')}
          </button>
          <button
            type="button"
            onClick={() => void runPending(pending.steps.length)}
            disabled={busy}
          >
            {t('sandbox.runAll')}
          </button>
        </div>
      )}
      {lesson && (
        <LessonPlayer
          progress={lesson}
          busy={busy || !state}
          json={json}
          watchHref={watchHref}
          onNext={() => void nextLessonStep()}
          onRestart={() => startLesson(lesson.lesson)}
          onClose={() => setLesson(null)}
        />
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
          {lastEntry && (
            <div className={focus === 'result' ? 'focus-target' : undefined}>
              <ResultLine entry={lastEntry} json={json} />
            </div>
          )}
          <section className="history" aria-label={t('sandbox.historyLabel')}>
            <h3>
              {t('sandbox.history', { count: history.length })}{' '}
              <button
                type="button"
                onClick={() => void act((session) => client.call('sandbox.undo', { session }))}
                disabled={busy || history.length === 0}
              >
                {t('sandbox.undo')}
              </button>
              <button
                type="button"
                onClick={() => void act((session) => client.call('sandbox.reset', { session }))}
                disabled={busy || history.length === 0}
              >
                {t('sandbox.reset')}
              </button>
            </h3>
            <ol>
              {history.map((h, i) => (
                <li
                  key={i}
                  className={`${h.result.ok ? 'ok' : 'failed'}${h.restarted ? ' restarted' : ''}`}
                  title={h.replayedIn ? t('sandbox.replayedIn', { pid: h.replayedIn }) : undefined}
                >
                  <code>{json ? stepJson(h) : formatStep(h.step, h.result)}</code>
                  {h.restarted && (
                    <div className="restart-mark" data-testid="restart-mark">
                      {t('sandbox.restartMark', { pid: h.result.info?.['pid'] ?? '' })}
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
        <div className="sandbox-right">
          {state && state.pid == null && (
            <StepChanges
              counters={state.counters}
              before={previous?.counters ?? null}
              machine={state.machine}
              machineBefore={previous?.machine ?? null}
              focus={focus === 'counters' || focus === 'machine' ? focus : null}
            />
          )}
          {state && (
            <div className={focus === 'grid' ? 'focus-target' : undefined}>
              <PageGrid allocations={state.allocations} changed={changed} onPick={setPicked} />
            </div>
          )}
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
