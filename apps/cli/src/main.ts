#!/usr/bin/env node
/**
 * ml-connector: the operator's command line. Reads DATABASE_URL, REDIS_URL, QUEUE_PREFIX and the
 * vault's MASTER_KEYS (or MASTER_KEY_FILE) from the environment. `ml-connector --help` lists the
 * commands; each has its own --help.
 */
import { Command } from "commander";

import { CliContext } from "./cli-context.js";
import { registerConnectionCommands } from "./commands/connections.command.js";
import { registerCredentialCommands } from "./commands/credentials.command.js";
import { registerOperationCommands } from "./commands/operations.command.js";

const program = new Command()
  .name("ml-connector")
  .description("Plex ⇄ Mailchimp connector: connections, credentials, keys, status, replay")
  .showHelpAfterError();

const context = () => new CliContext();
registerConnectionCommands(program, context);
registerCredentialCommands(program, context);
registerOperationCommands(program, context);

await program.parseAsync(process.argv);
