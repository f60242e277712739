interface Group {
  ticks: Set<() => void>;
  /**
   * The ticks as an array, rebuilt only when one joins or leaves: a turn walks it without copying
   * the set (a tick may leave, or another process join, while it runs).
   */
  turn: (() => void)[];
  timer: NodeJS.Timeout | undefined;
  /** The grid time the timer is set for. */
  due: number;
}

/**
 * Shared fixed-rate timers: every callback joined at one interval runs in the same timer turn,
 * at each whole multiple of the interval on the clock, from one timer per interval. Sampling 20
 * processes at 10 Hz is then 10 wake-ups a second, not 200: a wake-up of the event loop costs
 * more CPU than reading a procfs file (bench/sampler.bench.ts measures both). A late turn skips
 * the grid points it missed instead of firing twice.
 */
export class TickGrid {
  private readonly groups = new Map<number, Group>();

  constructor(private readonly now: () => number) {}

  /** Calls `tick` at every multiple of `intervalMs` until the returned function is called. */
  join(intervalMs: number, tick: () => void): () => void {
    let group = this.groups.get(intervalMs);
    if (!group) {
      const created: Group = {
        ticks: new Set(),
        turn: [],
        timer: undefined,
        due: Math.floor(this.now() / intervalMs) * intervalMs,
      };
      this.groups.set(intervalMs, created);
      this.arm(intervalMs, created);
      group = created;
    }
    const joined = group;
    joined.ticks.add(tick);
    joined.turn = [...joined.ticks];
    return () => {
      if (!joined.ticks.delete(tick)) return;
      joined.turn = [...joined.ticks];
      if (joined.ticks.size > 0) return;
      clearTimeout(joined.timer);
      if (this.groups.get(intervalMs) === joined) this.groups.delete(intervalMs);
    };
  }

  private arm(intervalMs: number, group: Group): void {
    const now = this.now();
    do group.due += intervalMs;
    while (group.due <= now);
    group.timer = setTimeout(() => this.fire(intervalMs, group), Math.ceil(group.due - now));
  }

  private fire(intervalMs: number, group: Group): void {
    if (this.groups.get(intervalMs) !== group) return;
    // This turn's array: a tick that leaves or joins meanwhile makes a new one.
    const turn = group.turn;
    for (let k = 0; k < turn.length; k++) turn[k]!();
    if (this.groups.get(intervalMs) === group) this.arm(intervalMs, group);
  }
}
