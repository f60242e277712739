import type { Command } from 'commander';
import { formatBytes } from '../../shared/format';
import { PAGE_LISTS, type ListBytes, type MachineView } from '../../shared/machineView';
import type { CliContext } from '../context';
import { renderTable } from '../table';

const listCells = (b: ListBytes): string[] => [
  formatBytes(b.active),
  formatBytes(b.standby),
  formatBytes(b.modified),
];

/** The RAMMap-style summary: lists, uses, then processes by resident private bytes. */
export function renderMachineView(view: MachineView): string {
  const lists = renderTable(
    ['LIST', 'SIZE'],
    PAGE_LISTS.map((list) => [list, formatBytes(view.byList[list])]),
    [false, true],
  );
  const uses = renderTable(
    ['USE', 'ACTIVE', 'STANDBY', 'MODIFIED'],
    [
      ['process private', ...listCells(view.byUse.processPrivate)],
      ['mapped file', ...listCells(view.byUse.mappedFile)],
      ['shareable', ...listCells(view.byUse.shareable)],
      ['page table', formatBytes(view.byUse.pageTable), '', ''],
      ['paged pool', formatBytes(view.pools.paged), '', ''],
      ['non-paged pool', formatBytes(view.pools.nonPaged), '', ''],
    ],
    [false, true, true, true],
  );
  const processes = renderTable(
    ['PID', 'NAME', 'PRIVATE', 'STANDBY', 'MODIFIED', 'PAGE TABLE'],
    [...view.processes]
      .sort((a, b) => b.private.active - a.private.active || a.pid - b.pid)
      .map((p) => [String(p.pid), p.name, ...listCells(p.private), formatBytes(p.pageTable)]),
    [true, false, true, true, true, true],
  );
  const header =
    `simulated machine: ${formatBytes(view.physicalMemory)} RAM, up ${(view.uptimeMs / 1000).toFixed(0)} s; ` +
    `commit ${formatBytes(view.commit.charge)} of ${formatBytes(view.commit.limit)}; ` +
    `pagefile ${formatBytes(view.pagefile.used)} of ${formatBytes(view.pagefile.size)}`;
  return [header, '', lists, '', uses, '', processes].join('\n');
}

export function registerMachine(program: Command, ctx: CliContext): void {
  program
    .command('machine')
    .description(
      "the simulated machine's physical memory by list, by use and per process (like RAMMap)",
    )
    .option('--json', 'print JSON instead of tables')
    .action(async (opts: { json?: boolean }) => {
      const view = await ctx.client.call('machine.view', {});
      ctx.out(opts.json ? JSON.stringify(view, null, 2) : renderMachineView(view));
    });
}
