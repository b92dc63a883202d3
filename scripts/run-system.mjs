#!/usr/bin/env node
// Runs the whole system on one machine (what `npm start` ends with): both simulators and every
// service, each as its own process, in sandbox mode by default. Prints each service's log lines in
// a readable form, waits until every /readyz answers 200, and stops everything in order on Ctrl-C.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const READY_TIMEOUT_MS = 60_000;
// Shifts every port, so a second copy (a test run, say) can run beside the first.
const PORT_OFFSET = Number(process.env.ML_PORT_OFFSET ?? 0);

/** Start order matters only for readability: simulators first, then the services. */
const SERVICES = [
  { name: "plex-sandbox", port: 8091, optional: true },
  { name: "mailchimp-sandbox", port: 8092, optional: true },
  { name: "plex-poller", port: 8081 },
  { name: "mailchimp-writer", port: 8082 },
  { name: "webhook-receiver", port: 8083 },
  { name: "plex-writeback", port: 8084 },
  { name: "console", port: 8080 },
].map((service) => ({ ...service, port: service.port + PORT_OFFSET }));

function consolePassword() {
  if (process.env.CONSOLE_PASSWORD) return process.env.CONSOLE_PASSWORD;
  const dir = join(ROOT, ".data");
  const file = join(dir, "console-password");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${randomBytes(12).toString("base64url")}\n`, { mode: 0o600 });
  }

  return readFileSync(file, "utf8").trim();
}

/**
 * The vault's master key for this machine's sandbox, made once and kept in .data/ (mode 0600).
 * Production reads keys from a mounted Secret instead (packages/vault/README.md).
 */
function masterKeyFile() {
  if (process.env.MASTER_KEYS || process.env.MASTER_KEY_FILE) return undefined;
  const dir = join(ROOT, ".data");
  const file = join(dir, "master-keys");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `1:${randomBytes(32).toString("base64")}\ncurrent:1\n`, { mode: 0o600 });
  }

  return file;
}

const LEVEL_WIDTH = 5;
const NAME_WIDTH = Math.max(...SERVICES.map((service) => service.name.length));

function printLine(name, line) {
  let text = line;
  try {
    const entry = JSON.parse(line);
    const { level, time, msg, service: _service, ...fields } = entry;
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    text = `${String(level).padEnd(LEVEL_WIDTH)} ${msg}${extra}`;
    void time;
  } catch {
    // Not JSON (a crash trace, say): print as it is.
  }
  process.stdout.write(`${name.padEnd(NAME_WIDTH)} │ ${text}\n`);
}

function pipeLines(name, stream) {
  let buffered = "";
  stream.on("data", (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") printLine(name, line);
  });
}

async function waitReady(service, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  return false;
}

const password = consolePassword();
const keyFile = masterKeyFile();
const baseEnv = {
  ...process.env,
  ...(keyFile === undefined ? {} : { MASTER_KEY_FILE: keyFile }),
  NODE_ENV: process.env.NODE_ENV ?? "development",
  CONSOLE_PASSWORD: password,
  ML_MODE: process.env.ML_MODE ?? "sandbox",
};

const children = [];
let stopping = false;

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping every service…\n`);
  // Services first, simulators last, so nothing calls a simulator that is already gone.
  for (const { child } of [...children].reverse()) child.kill("SIGTERM");
  setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
    process.exit(1);
  }, 15_000).unref();
}
process.on("SIGINT", () => stopAll("SIGINT"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

const entryOf = (service) => join(ROOT, "apps", service.name, "dist", "main.js");
const missing = SERVICES.filter((service) => !service.optional && !existsSync(entryOf(service)));
if (missing.length > 0) {
  const names = missing.map((service) => service.name).join(", ");
  process.stderr.write(`✖ not built: ${names} (run pnpm turbo run build)\n`);
  process.exit(1);
}

for (const service of SERVICES) {
  const entry = entryOf(service);
  if (!existsSync(entry)) continue;
  const child = spawn(process.execPath, ["--enable-source-maps", entry], {
    cwd: join(ROOT, "apps", service.name),
    env: { ...baseEnv, HTTP_PORT: String(service.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  pipeLines(service.name, child.stdout);
  pipeLines(service.name, child.stderr);
  child.on("exit", (code, signal) => {
    const remaining = children.filter(({ child: other }) => other.exitCode === null).length;
    printLine(service.name, `exited (${signal ?? code})`);
    if (!stopping) stopAll(`${service.name} exited`);
    if (stopping && remaining === 0) process.exit(0);
  });
  children.push({ service, child });
}

const startedAt = Date.now();
const results = await Promise.all(children.map(({ service, child }) => waitReady(service, child)));
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
if (results.some((ready) => !ready)) {
  const late = children.filter((_, index) => !results[index]).map(({ service }) => service.name);
  process.stderr.write(`✖ not ready after ${READY_TIMEOUT_MS / 1000} s: ${late.join(", ")}\n`);
  stopAll("startup failure");
} else {
  process.stdout.write(`\n✔ ml-connector is up in ${seconds} s (sandbox mode)\n`);
  for (const { service } of children) {
    process.stdout.write(
      `   ${service.name.padEnd(NAME_WIDTH)}  http://127.0.0.1:${service.port}\n`,
    );
  }
  process.stdout.write(
    `   console login: ${baseEnv.CONSOLE_USERNAME ?? "admin"} / password in .data/console-password` +
      " (or CONSOLE_PASSWORD)\n   Ctrl-C stops everything.\n",
  );
}
