/**
 * What every command needs, opened lazily from the environment (DATABASE_URL, REDIS_URL,
 * MASTER_KEYS or MASTER_KEY_FILE, QUEUE_PREFIX) and closed when the command ends.
 */
import { Redis } from "ioredis";
import { z } from "zod";

import { ConnectionService, type TClientDeps } from "@ml-connector/connections";
import { createPrismaClient, type TPrisma } from "@ml-connector/db";
import { parseEnv } from "@ml-connector/runtime";
import {
  createVault,
  loadMasterKeyring,
  type CredentialVault,
  type MasterKeyring,
} from "@ml-connector/vault";

const ZCliEnv = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default("postgresql://postgres@127.0.0.1:5432/mlc"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z.string().default("mlc"),
});

export class CliContext {
  private prismaClient: TPrisma | undefined;
  private vaultInstance: CredentialVault | undefined;
  private redisClient: Redis | undefined;
  private masterKeyring: MasterKeyring | undefined;
  private readonly env = parseEnv(ZCliEnv, process.env);

  get prisma(): TPrisma {
    this.prismaClient ??= createPrismaClient({ databaseUrl: this.env.DATABASE_URL, poolMax: 4 });

    return this.prismaClient;
  }

  get keyring(): MasterKeyring {
    this.masterKeyring ??= loadMasterKeyring(process.env);

    return this.masterKeyring;
  }

  get vault(): CredentialVault {
    this.vaultInstance ??= createVault({ prisma: this.prisma, keyring: this.keyring });

    return this.vaultInstance;
  }

  get connections(): ConnectionService {
    return new ConnectionService(this.prisma, this.vault);
  }

  get redis(): Redis {
    this.redisClient ??= new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: 2 });

    return this.redisClient;
  }

  get queuePrefix(): string {
    return this.env.QUEUE_PREFIX;
  }

  clientDeps(): TClientDeps {
    return { vault: this.vault, redis: this.redis, prefix: this.env.QUEUE_PREFIX, maxAttempts: 2 };
  }

  async close(): Promise<void> {
    await this.prismaClient?.$disconnect();
    await this.redisClient?.quit();
  }
}
