import { describe, expect, it } from "vitest";

import { PlantIndex } from "../store/plant.index.js";
import { PlexPlant } from "./shipment.generator.js";

function snapshot(plant: PlexPlant, customers: number[]): unknown[] {
  return customers.flatMap((i) => {
    const records: unknown[] = [plant.customer(i)];
    for (let c = 0; c < plant.contactCount(i); c += 1) records.push(plant.contact(i, c));
    for (let k = 0; k < plant.orderCount(i); k += 1) {
      const facts = plant.orderFacts(i, k);
      records.push(plant.order(facts));
      for (let w = 0; w < facts.waveCount; w += 1) {
        if (plant.hasInvoice(facts, w)) records.push(plant.invoice(facts, w));
      }
    }
    return records;
  });
}

describe("plant generator", () => {
  it("gives the same records for the same seed and size, in any order of access", () => {
    const first = new PlexPlant({ seed: 7, customers: 500 });
    const second = new PlexPlant({ seed: 7, customers: 500 });

    const forward = snapshot(first, [0, 1, 2, 250, 499]);
    const backward = snapshot(second, [499, 250, 2, 1, 0]).reverse();

    expect(JSON.stringify(snapshot(second, [0, 1, 2, 250, 499]))).toBe(JSON.stringify(forward));
    expect(backward.length).toBe(forward.length);
  });

  it("gives different data for another seed", () => {
    const one = new PlexPlant({ seed: 7, customers: 50 });
    const other = new PlexPlant({ seed: 8, customers: 50 });

    expect(one.customer(3).id).not.toBe(other.customer(3).id);
    expect(
      one.customer(3).name === other.customer(3).name &&
        one.customer(3).email === other.customer(3).email,
    ).toBe(false);
  });

  it("builds identical indexes for the same seed and size", () => {
    const a = new PlantIndex(new PlexPlant({ seed: 3, customers: 2_000 }));
    const b = new PlantIndex(new PlexPlant({ seed: 3, customers: 2_000 }));

    expect(a.orderCount).toBe(b.orderCount);
    expect([...a.releases.range(0, Date.UTC(2100, 0))]).toEqual([
      ...b.releases.range(0, Date.UTC(2100, 0)),
    ]);
  });

  it("contains the messy data on purpose", () => {
    const plant = new PlexPlant({ seed: 11, customers: 3_000 });
    const customers = Array.from({ length: 3_000 }, (_, i) => plant.customer(i));
    const emails = customers.map((customer) => customer.email);
    const valid = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
    const present = emails.filter((email): email is string => email !== null && email !== "");
    const counts = new Map<string, number>();
    for (const email of present)
      counts.set(email.trim().toLowerCase(), (counts.get(email.trim().toLowerCase()) ?? 0) + 1);

    expect(emails.filter((email) => email === null).length).toBeGreaterThan(150);
    expect(emails.filter((email) => email === "").length).toBeGreaterThan(10);
    expect(present.filter((email) => !valid.test(email.trim())).length).toBeGreaterThan(30);
    expect([...counts.values()].filter((count) => count > 1).length).toBeGreaterThan(20);
    expect(present.filter((email) => email !== email.trim()).length).toBeGreaterThan(10);
    const phoneOnly = customers.filter((_, i) => plant.isPhoneOnly(i));
    expect(phoneOnly.length).toBeGreaterThan(60);
    expect(phoneOnly.every((customer) => customer.email === null && customer.phone !== null)).toBe(
      true,
    );
    expect(customers.some((customer) => /[^ -~]/.test(customer.name))).toBe(true);
    expect(customers.filter((customer) => customer.status !== "Active").length).toBeGreaterThan(
      150,
    );
  });

  it("tells the fulfilment and payment stories across several years", () => {
    const plant = new PlexPlant({ seed: 5, customers: 1_000 });
    const index = new PlantIndex(plant);
    const statuses = new Set<string>();
    const years = new Set<number>();
    let partial = 0;
    let paid = 0;
    let open = 0;
    for (let g = 0; g < index.orderCount; g += 1) {
      const { i, k } = index.orderRef(g);
      const facts = plant.orderFacts(i, k);
      years.add(new Date(facts.orderMs).getUTCFullYear());
      for (let l = 0; l < facts.lineCount; l += 1) {
        for (let w = 0; w < facts.waveCount; w += 1) {
          const release = plant.release(facts, l, w);
          statuses.add(release.status);
          if (release.quantityShipped > 0 && release.quantityShipped < release.quantity)
            partial += 1;
        }
      }
      for (let w = 0; w < facts.waveCount; w += 1) {
        if (!plant.hasInvoice(facts, w)) continue;
        if (plant.invoice(facts, w).paid) paid += 1;
        else open += 1;
      }
    }

    expect([...statuses].sort()).toEqual(["Canceled", "Open", "Scheduled", "Shipped"]);
    expect(partial).toBeGreaterThan(0);
    expect(paid).toBeGreaterThan(open);
    expect(open).toBeGreaterThan(0);
    expect(years.size).toBeGreaterThanOrEqual(5);
  });

  it("never generates anything after the anchor", () => {
    const plant = new PlexPlant({ seed: 9, customers: 300 });
    const index = new PlantIndex(plant);
    // The index works in whole seconds: start the range at the next second.
    const after = [...index.orders.range(plant.anchorMs + 1_000, Date.UTC(2100, 0))];

    expect(after).toEqual([]);
    expect(index.orders.size).toBe(index.orderCount);
  });
});
