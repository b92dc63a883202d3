// Finds Redis and PostgreSQL for `npm start` / `npm test`, or starts private ones.
// A service already answering at the configured URL is used as it is. Otherwise, when the server
// binaries are installed (Debian: redis-server, postgresql), a private instance is started with
// its data under .data/ on a side port, so nothing shared is touched.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { join } from "node:path";

const PRIVATE_REDIS_PORT = 6390;
const PRIVATE_POSTGRES_PORT = 5440;

function log(message) {
  process.stdout.write(`  ${message}\n`);
}

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Sends PING over a raw socket; resolves true on +PONG (or an auth error: Redis is there). */
function redisAnswers(url) {
  const { hostname, port } = new URL(url);

  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || "127.0.0.1", port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

async function waitUntil(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(`${what} did not come up within ${timeoutMs / 1000} s`);
}

export async function ensureRedis(root, configuredUrl) {
  const url = configuredUrl ?? "redis://127.0.0.1:6379";
  if (await redisAnswers(url)) {
    log(`Redis answers at ${url}`);

    return url;
  }
  if (configuredUrl !== undefined) fail(`REDIS_URL is set to ${url} but nothing answers there.`);

  const privateUrl = `redis://127.0.0.1:${PRIVATE_REDIS_PORT}`;
  if (await redisAnswers(privateUrl)) {
    log(`Redis answers at ${privateUrl} (private instance)`);

    return privateUrl;
  }
  if (!hasCommand("redis-server")) {
    fail(
      "No Redis at redis://127.0.0.1:6379 and redis-server is not installed.\n" +
        "  Install it (Debian: apt-get install redis-server), set REDIS_URL, or use docker compose up.",
    );
  }
  const dir = join(root, ".data", "redis");
  mkdirSync(dir, { recursive: true });
  log(`starting a private Redis on port ${PRIVATE_REDIS_PORT} (data in .data/redis)`);
  spawnSync(
    "redis-server",
    [
      "--port",
      String(PRIVATE_REDIS_PORT),
      "--bind",
      "127.0.0.1",
      "--daemonize",
      "yes",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
      "--logfile",
      join(dir, "redis.log"),
    ],
    { stdio: "inherit" },
  );
  await waitUntil(() => redisAnswers(privateUrl), "the private Redis");

  return privateUrl;
}

function loadPg(root) {
  const require = createRequire(join(root, "packages", "db", "package.json"));

  return require("pg");
}

async function postgresAnswers(root, url) {
  const { Client } = loadPg(root);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    await client.query("SELECT 1");

    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresBinDir() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(base, version, "bin");
    if (existsSync(join(dir, "pg_ctl"))) return dir;
  }

  return undefined;
}

/** Returns a URL of the maintenance database ("postgres") of a reachable server. */
export async function ensurePostgres(root, configuredUrl) {
  if (configuredUrl !== undefined) {
    const admin = new URL(configuredUrl);
    admin.pathname = "/postgres";
    if (await postgresAnswers(root, admin.toString())) {
      log(`PostgreSQL answers at ${admin.host}`);

      return admin.toString();
    }
    fail(`DATABASE_URL points at ${admin.host} but PostgreSQL does not answer there.`);
  }

  const shared = "postgresql://postgres@127.0.0.1:5432/postgres";
  if (await postgresAnswers(root, shared)) {
    log("PostgreSQL answers at 127.0.0.1:5432");

    return shared;
  }
  const privateUrl = `postgresql://postgres@127.0.0.1:${PRIVATE_POSTGRES_PORT}/postgres`;
  if (await postgresAnswers(root, privateUrl)) {
    log(`PostgreSQL answers at 127.0.0.1:${PRIVATE_POSTGRES_PORT} (private instance)`);

    return privateUrl;
  }

  const bin = postgresBinDir();
  if (bin === undefined) {
    fail(
      "No PostgreSQL at 127.0.0.1:5432 and no server binaries found.\n" +
        "  Install them (Debian: apt-get install postgresql), set DATABASE_URL, or use docker compose up.",
    );
  }
  // initdb refuses to run as root; run the private server as the postgres system user then.
  const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  const dir =
    asPostgres.length > 0 ? "/tmp/ml-connector-postgres" : join(root, ".data", "postgres");
  const exec = (cmd, args) => {
    const [head, ...rest] = [...asPostgres, join(bin, cmd), ...args];
    const result = spawnSync(head, rest, { stdio: "inherit" });
    if (result.status !== 0) fail(`${cmd} failed while starting a private PostgreSQL`);
  };
  if (!existsSync(join(dir, "PG_VERSION"))) {
    log(`initialising a private PostgreSQL in ${dir}`);
    exec("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  }
  log(`starting a private PostgreSQL on port ${PRIVATE_POSTGRES_PORT}`);
  exec("pg_ctl", [
    "-D",
    dir,
    "-l",
    join(dir, "server.log"),
    "-w",
    "start",
    "-o",
    `-p ${PRIVATE_POSTGRES_PORT} -k /tmp -c listen_addresses=127.0.0.1`,
  ]);
  await waitUntil(() => postgresAnswers(root, privateUrl), "the private PostgreSQL");

  return privateUrl;
}

/** Creates `name` on the server when missing and returns its URL. */
export async function ensureDatabase(adminUrl, name, { fresh = false } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) fail(`database name ${name} is not a plain identifier`);
  const root = join(import.meta.dirname, "..");
  const { Client } = loadPg(root);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    if (fresh) {
      // The test database starts empty on every run, so what an earlier run (or a benchmark
      // pointed at it by mistake) left behind cannot change what the tests see.
      log(`recreating database ${name} (tests start from an empty database)`);
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  return url.toString();
}
