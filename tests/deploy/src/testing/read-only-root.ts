/**
 * Runs a command the way the pods run it: the root filesystem mounted read-only, as an
 * unprivileged user, optionally with a fresh tmpfs on /tmp (the pods' emptyDir). It uses a
 * private mount namespace (`unshare -m`, util-linux), so the machine's own mounts are untouched;
 * that needs root, which CI and the development machines have.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

/** nobody: a user that owns nothing on this machine, so it can write nowhere by ownership. */
const UNPRIVILEGED = "65534";

export function canIsolate(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync("unshare", ["-m", "sh", "-c", "mount -o remount,bind,ro / && true"]);

  return probe.status === 0;
}

function wrapper(withTmp: boolean): string {
  const tmp = withTmp ? " && mount -t tmpfs -o size=64m tmpfs /tmp" : "";

  return (
    `mount -o remount,bind,ro /${tmp} && ` +
    `exec setpriv --reuid=${UNPRIVILEGED} --regid=${UNPRIVILEGED} --clear-groups "$@"`
  );
}

export type TIsolated = { withTmp?: boolean; cwd?: string; env: NodeJS.ProcessEnv };

/** Starts `argv` isolated; the child's pid is the command's own (unshare, sh and setpriv exec). */
export function spawnIsolated(argv: string[], options: TIsolated): ChildProcess {
  return spawn(
    "unshare",
    ["-m", "sh", "-c", wrapper(options.withTmp ?? false), "isolated", ...argv],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

export function runIsolated(argv: string[], options: TIsolated) {
  return spawnSync(
    "unshare",
    ["-m", "sh", "-c", wrapper(options.withTmp ?? false), "isolated", ...argv],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
}
