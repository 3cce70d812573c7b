/**
 * A CPU profile of a whole process, for processes whose command line the bench does not write (the
 * server, started by server/src/testing/processes.ts): preloaded through
 * `NODE_OPTIONS=--import=<this file>` with `CPU_PROFILE_DIR=<dir>`, it profiles from start-up to exit and
 * writes `<dir>/CPU.<time>.<pid>.cpuprofile`, as `node --cpu-prof` does; Node 20 refuses `--cpu-prof`
 * in NODE_OPTIONS. Open the file in Chrome DevTools (Performance) or summarise it with a script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // The in-thread inspector answers synchronously, so the profile is written before the process ends.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return console.error('cpu-profile:', error);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `CPU.${Date.now()}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
