import fs from 'node:fs';

/** Thrown when another live process has the log open. */
export class DurableLogLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number,
  ) {
    super(`durable-log: ${lockFile} is held by process ${ownerPid}; one process at a time may open a log`);
    this.name = 'DurableLogLockedError';
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the lock file of a log: a file holding the owner's pid. A lock left by a dead process (kill -9) is taken
 * over; a lock held by this same process (a reopen without close, as crash tests do) is shared.
 * @throws DurableLogLockedError if another live process holds it.
 */
export function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    if (owner === process.pid) return;
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner))
      throw new DurableLogLockedError(lockFile, owner);
    fs.rmSync(lockFile, { force: true }); // stale: its owner died
  }
  throw new Error(`durable-log: could not take the lock ${lockFile}`);
}

/** Releases a lock this process holds (leaves another process's lock alone). */
export function releaseLock(lockFile: string): void {
  try {
    if (Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10) === process.pid)
      fs.rmSync(lockFile, { force: true });
  } catch {
    // already gone
  }
}
