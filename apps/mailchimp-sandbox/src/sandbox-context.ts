/**
 * Everything one running sandbox holds: configuration, the simulated clock and scheduler, the
 * accounts and their data, the spec validator, the webhook senders, the batch runner and the
 * counters. Built once by startMailchimpSandbox(); HTTP routes and control routes only read it.
 */
import type { Logger } from "@ml-connector/runtime";

import { ApiDispatcher } from "./api/api-dispatcher.js";
import { RouteTable } from "./api/route-table.js";
import { API_ROUTES } from "./api/routes.js";
import { BatchArchiveStore } from "./batches/batch-archive.js";
import { BatchRunner } from "./batches/batch.runner.js";
import { CampaignSimulator } from "./campaigns/campaign.simulator.js";
import type { TSandboxOptions } from "./config/sandbox-options.js";
import { FaultInjector } from "./http/fault.injector.js";
import { RequestStats } from "./http/request.stats.js";
import { MemberService } from "./members/member.service.js";
import { OAuthStore } from "./oauth/oauth.store.js";
import { MarketingSpec } from "./spec/marketing-spec.js";
import { RequestValidator } from "./spec/request-validator.js";
import { AccountRegistry } from "./state/account.registry.js";
import { IdGenerator } from "./state/id-generator.js";
import { SandboxClock } from "./state/sandbox-clock.js";
import { SeededRandom } from "./state/seeded-random.js";
import { SimScheduler } from "./state/sim-scheduler.js";
import { ListEventBus } from "./webhooks/list-event.bus.js";
import { ListWebhookDispatcher } from "./webhooks/list-webhook.dispatcher.js";
import { MandrillDispatcher } from "./webhooks/mandrill.dispatcher.js";

/** Archives kept for download; older links stop working, as Mailchimp's expire. */
const ARCHIVES_KEPT = 200;

export class SandboxContext {
  readonly clock = new SandboxClock();
  readonly ids: IdGenerator;
  readonly scheduler: SimScheduler;
  readonly accounts: AccountRegistry;
  readonly oauth: OAuthStore;
  readonly spec = MarketingSpec.load();
  readonly validator: RequestValidator;
  readonly events: ListEventBus;
  readonly listWebhooks: ListWebhookDispatcher;
  readonly mandrill: MandrillDispatcher;
  readonly members: MemberService;
  readonly archives = new BatchArchiveStore(ARCHIVES_KEPT);
  readonly batches: BatchRunner;
  readonly campaigns: CampaignSimulator;
  readonly faults: FaultInjector;
  readonly stats = new RequestStats();
  readonly overloadRandom: SeededRandom;
  readonly routes = new RouteTable(API_ROUTES);
  readonly dispatcher: ApiDispatcher;
  /** Set once the server listens: "http://127.0.0.1:PORT" or the configured public URL. */
  publicUrl = "";

  constructor(
    readonly options: TSandboxOptions,
    readonly log: Logger,
  ) {
    this.ids = new IdGenerator(options.seed);
    this.overloadRandom = new SeededRandom(`${options.seed}:overload`);
    this.scheduler = new SimScheduler(this.clock, log);
    this.accounts = new AccountRegistry(this.ids);
    this.oauth = new OAuthStore(this.ids);
    this.validator = new RequestValidator(this.spec);
    this.events = new ListEventBus(options.limits.maxLoggedDeliveries);
    this.listWebhooks = new ListWebhookDispatcher(
      this.accounts,
      this.ids,
      this.clock,
      this.scheduler,
      log,
      { ...options.webhooks, keep: options.limits.maxLoggedDeliveries },
      this.events,
    );
    this.mandrill = new MandrillDispatcher(this.ids, this.clock, this.scheduler, log, {
      ...options.mandrill,
      keep: options.limits.maxLoggedDeliveries,
    });
    this.members = new MemberService({
      clock: this.clock,
      ids: this.ids,
      events: this.events,
      emailRules: options.emails,
      maxRecordBytes: options.limits.maxRecordBytes,
    });
    this.faults = new FaultInjector(this.ids, options.seed);
    this.dispatcher = new ApiDispatcher(this);
    this.batches = new BatchRunner(
      this.clock,
      this.scheduler,
      this.ids,
      this.archives,
      log,
      options.batches,
      (file) => `${this.publicUrl}/batch-results/${file}`,
      (account, operation) => this.dispatcher.executeOperation(account, operation),
    );
    this.campaigns = new CampaignSimulator(this);
  }

  /** Base of an account's API as clients address it: "http://host:port/us21/3.0". */
  apiBase(dc: string): string {
    return `${this.publicUrl}/${dc}/3.0`;
  }

  close(): void {
    this.scheduler.close();
  }
}
