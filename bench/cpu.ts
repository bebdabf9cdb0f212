import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Other load on a small machine skews every row of a benchmark, so each row records it: CPU time
 * of the whole machine and of our own processes, from /proc.
 */
export interface CpuMark {
  at: number;
  total: number;
  ours: number;
}

/**
 * A mark: ours is this process's tree (the service, a worker, an embedded PostgreSQL) and the
 * `extraPids` given (e.g. a PostgreSQL server's backends for the benchmark's database). Null where
 * /proc is missing.
 */
export async function cpuMark(extraPids: readonly number[] = []): Promise<CpuMark | null> {
  try {
    const cpuLine = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = cpuLine.reduce((sum, v) => sum + v, 0) - cpuLine[3] - (cpuLine[4] ?? 0);
    const procs = new Map<number, { ppid: number; jiffies: number }>();
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state.
        procs.set(Number(entry), { ppid: Number(fields[1]), jiffies: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
      } catch {
        // gone meanwhile
      }
    }
    const extra = new Set(extraPids);
    const isOurs = (pid: number): boolean => {
      if (extra.has(pid)) return true;
      for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
        if (p === process.pid) return true;
        p = procs.get(p)?.ppid ?? 0;
      }
      return false;
    };
    let ours = 0;
    for (const [pid, proc] of procs) if (isOurs(pid)) ours += proc.jiffies;
    return { at: performance.now(), total: busy, ours };
  } catch {
    return null;
  }
}

/** Other processes' CPU use between two marks, in CPUs (USER_HZ = 100 on Linux); NaN without both. */
export function otherCpus(a: CpuMark | null, b: CpuMark | null): number {
  if (!a || !b || b.at <= a.at) return Number.NaN;
  const jiffies = b.total - a.total - (b.ours - a.ours);
  return Math.max(0, jiffies / 100 / ((b.at - a.at) / 1000));
}
