#!/usr/bin/env node
// The two commands of a fresh machine, needing only Node.js and npm:
//   npm start   builds everything and runs the whole system in sandbox mode
//   npm test    builds everything and runs the full test suite
// pnpm is fetched from the npm registry when it is not installed. Redis and PostgreSQL are used
// where REDIS_URL / DATABASE_URL point; when nothing answers there and the server binaries are
// installed, private instances are started under .data/ (see scripts/services.mjs).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { ensureDatabase, ensurePostgres, ensureRedis } from "./services.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "12.23.0";
const command = process.argv[2];

function say(message) {
  process.stdout.write(`\n▶ ${message}\n`);
}

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`\n✖ ${cmd} ${args.join(" ")} failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return ["pnpm", []];
  say(`pnpm not found: using pnpm@${PNPM_VERSION} from the npm registry through npx`);

  return ["npx", ["--yes", `pnpm@${PNPM_VERSION}`]];
}

async function prepare(databaseName, { fresh = false } = {}) {
  const [pnpm, pnpmArgs] = pnpmCommand();
  const pnpmRun = (args, env) => run(pnpm, [...pnpmArgs, ...args], env);

  say("installing dependencies from the lockfile");
  pnpmRun(["install", "--frozen-lockfile"]);

  say("checking Redis and PostgreSQL");
  const redisUrl = await ensureRedis(ROOT, process.env.REDIS_URL);
  const adminUrl = await ensurePostgres(ROOT, process.env.DATABASE_URL);
  const databaseUrl = await ensureDatabase(adminUrl, databaseName, { fresh });
  const env = { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl };

  say(`applying database migrations to ${databaseName}`);
  pnpmRun(["--filter", "@ml-connector/db", "db:migrate"], env);

  return { pnpmRun, env };
}

if (command === "test") {
  const { pnpmRun, env } = await prepare(process.env.ML_TEST_DATABASE ?? "mlc_test", {
    fresh: true,
  });
  say("building, type-checking and linting every package");
  pnpmRun(["turbo", "run", "build", "typecheck", "lint", "--output-logs=errors-only"], env);
  say("running the test suites (unit, integration, system)");
  pnpmRun(["turbo", "run", "test", "--concurrency=1", "--output-logs=new-only"], env);
  if (process.env.ML_SKIP_CHAOS === "1") {
    say("chaos suite skipped (ML_SKIP_CHAOS=1)");
  } else {
    say("running the chaos suite (processes killed, Redis and Postgres restarted, faults, floods)");
    pnpmRun(["turbo", "run", "test:chaos", "--concurrency=1", "--output-logs=new-only"], env);
  }
  say("all tests passed");
} else if (command === "start") {
  const { pnpmRun, env } = await prepare(process.env.ML_DATABASE ?? "mlc");
  say("building");
  pnpmRun(["turbo", "run", "build", "--output-logs=errors-only"], env);
  say("starting ml-connector (sandbox mode)");
  run(process.execPath, [join(ROOT, "scripts", "run-system.mjs")], env);
} else {
  process.stderr.write("usage: node scripts/bootstrap.mjs start|test\n");
  process.exit(2);
}
