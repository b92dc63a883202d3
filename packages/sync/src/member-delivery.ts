/**
 * Delivers members to an audience without ever changing a member's consent:
 * - members the connector has not written before go through batch subscribe (POST /lists/{id},
 *   500 per call) with update_existing=false, so an address already in the audience — perhaps
 *   unsubscribed — is reported back (ERROR_CONTACT_EXISTS) instead of being re-subscribed;
 * - members it wrote before, and those reported as existing, are updated with PUT and
 *   status_if_new only, which leaves an existing member's status alone (reference §3.1, §3.6).
 */
import {
  MailchimpApiError,
  batchSubscribe,
  upsertMember,
  type MailchimpClient,
} from "@ml-connector/mailchimp-client";
import { toMemberUpsert, type TMappedMember } from "@ml-connector/mappers";

export type TMemberResult =
  | { member: TMappedMember; outcome: "created" | "updated"; status: string }
  | { member: TMappedMember; outcome: "rejected"; reason: string; errorCode?: string };

const BATCH_SIZE = 500;
const PUT_CONCURRENCY = 6;

export async function deliverMembers(
  mailchimp: MailchimpClient,
  listId: string,
  members: { member: TMappedMember; known: boolean }[],
): Promise<TMemberResult[]> {
  const results: TMemberResult[] = [];
  const toPut = members.filter((entry) => entry.known).map((entry) => entry.member);
  const fresh = members.filter((entry) => !entry.known).map((entry) => entry.member);

  // Chunks go out side by side; the account's connection semaphore decides how many really fly.
  const chunks: TMappedMember[][] = [];
  for (let start = 0; start < fresh.length; start += BATCH_SIZE) {
    chunks.push(fresh.slice(start, start + BATCH_SIZE));
  }
  const answers = await Promise.all(
    chunks.map((chunk) => subscribeChunk(mailchimp, listId, chunk)),
  );
  for (const answer of answers) {
    results.push(...answer.results);
    toPut.push(...answer.toPut);
  }

  results.push(...(await putMembers(mailchimp, listId, toPut)));

  return results;
}

async function subscribeChunk(
  mailchimp: MailchimpClient,
  listId: string,
  chunk: TMappedMember[],
): Promise<{ results: TMemberResult[]; toPut: TMappedMember[] }> {
  const results: TMemberResult[] = [];
  const toPut: TMappedMember[] = [];
  const byEmail = new Map(chunk.map((member) => [member.email, member]));
  const answer = await batchSubscribe(
    mailchimp,
    listId,
    chunk.map((member) => ({
      email_address: member.email,
      status: member.statusIfNew,
      merge_fields: member.mergeFields as Record<string, string>,
    })),
    false,
  );
  for (const created of answer.new_members) {
    const member = byEmail.get(created.email_address.toLowerCase());
    if (member === undefined) continue;
    byEmail.delete(member.email);
    results.push({ member, outcome: "created", status: created.status });
  }
  for (const error of answer.errors) {
    const member = byEmail.get(error.email_address.toLowerCase());
    if (member === undefined) continue;
    byEmail.delete(member.email);
    if (error.error_code === "ERROR_CONTACT_EXISTS") {
      toPut.push(member);
    } else {
      results.push({
        member,
        outcome: "rejected",
        reason: error.error,
        errorCode: error.error_code,
      });
    }
  }
  // Anything Mailchimp did not mention is written one by one, to be certain of its outcome.
  toPut.push(...byEmail.values());

  return { results, toPut };
}

async function putMembers(
  mailchimp: MailchimpClient,
  listId: string,
  members: TMappedMember[],
): Promise<TMemberResult[]> {
  const results: TMemberResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const member = members[next]!;
      next += 1;
      try {
        const answer = await upsertMember(
          mailchimp,
          listId,
          member.subscriberHash,
          toMemberUpsert(member),
        );
        results.push({ member, outcome: "updated", status: answer.status });
      } catch (err) {
        if (!(err instanceof MailchimpApiError) || err.retryable) throw err;
        const reason = [err.title, err.detail].filter(Boolean).join(": ") || err.message;
        results.push({ member, outcome: "rejected", reason, errorCode: err.title });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, members.length) }, worker));

  return results;
}
