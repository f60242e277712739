/**
 * The counters and the machine's page lists after the last step, each with what the step changed
 * (highlighted), so a learner sees at a glance what a call did beyond its return value.
 */
import { useTranslation } from 'react-i18next';
import { formatSize } from '../../../../shared/format';
import { PAGE_LISTS, type MachineView } from '../../../../shared/machineView';
import type { Counters } from '../../../../shared/model';
import { useFormat } from '../../i18n/format';

interface Figure {
  key: string;
  label: string;
  now: number;
  before: number | null;
  text: (n: number) => string;
}

function Figures({ figures, label, testId }: { figures: Figure[]; label: string; testId: string }) {
  return (
    <dl className="figures" aria-label={label} data-testid={testId}>
      {figures.map((f) => {
        const delta = f.before === null ? 0 : f.now - f.before;
        return (
          <div
            key={f.key}
            className={`figure${delta !== 0 ? ' changed' : ''}`}
            data-figure={f.key}
            data-value={f.now}
          >
            <dt>{f.label}</dt>
            <dd>
              {f.text(f.now)}
              {delta !== 0 && (
                <span className="delta">
                  {' '}
                  ({delta > 0 ? '+' : '−'}
                  {f.text(Math.abs(delta))})
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

export function StepChanges({
  counters,
  before,
  machine,
  machineBefore,
  focus,
}: {
  counters: Counters;
  before: Counters | null;
  machine: MachineView | null;
  machineBefore: MachineView | null;
  /** A lesson step that points here: the strip is outlined. */
  focus: 'counters' | 'machine' | null;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const counterFigures: Figure[] = [
    {
      key: 'workingSetSize',
      label: t('counters.workingSet'),
      now: counters.workingSetSize,
      before: before?.workingSetSize ?? null,
      text: formatSize,
    },
    {
      key: 'privateUsage',
      label: t('counters.commit'),
      now: counters.privateUsage ?? 0,
      before: before ? (before.privateUsage ?? 0) : null,
      text: formatSize,
    },
    {
      key: 'pageFaultCount',
      label: t('counters.faults'),
      now: counters.pageFaultCount,
      before: before?.pageFaultCount ?? null,
      text: fmt.number,
    },
  ];
  return (
    <div className="step-changes">
      <div className={`strip${focus === 'counters' ? ' focus' : ''}`}>
        <Figures figures={counterFigures} label={t('counters.workingSet')} testId="counters" />
      </div>
      {machine && (
        <div className={`strip${focus === 'machine' ? ' focus' : ''}`}>
          <Figures
            label={t('machine.lists')}
            testId="machine-lists"
            figures={[
              ...PAGE_LISTS.map((list) => ({
                key: list,
                label: t(`machine.${list}`),
                now: machine.byList[list],
                before: machineBefore?.byList[list] ?? null,
                text: formatSize,
              })),
              {
                key: 'commitCharge',
                label: t('machine.commitCharge'),
                now: machine.commit.charge,
                before: machineBefore?.commit.charge ?? null,
                text: formatSize,
              },
            ]}
          />
        </div>
      )}
    </div>
  );
}
