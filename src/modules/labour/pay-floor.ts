/**
 * The pay floor (principle 4). The charter states `pay.ratePerHour` in WHOLE currency units; the ledger works
 * in integer MINOR units, so rates are converted here (× 100, rounded). The floor comes from
 * `COUNTERPUBLIC_PAY_FLOOR` ("12", "12 USD", "10.50 EUR"), whole units; default 12 USD per hour.
 */
import type { Charter } from "../../core/charter.ts";
import { AppError } from "../../core/errors.ts";
import { DEFAULT_PAY_FLOOR, validatePayRate, type PayFloor } from "../../core/labour.ts";

const FLOOR_PATTERN = /^\s*(\d+(?:\.\d{1,2})?)\s*([A-Za-z]{3})?\s*$/;

/** The pay floor in minor units per hour, from COUNTERPUBLIC_PAY_FLOOR (whole units, optional currency) or 12 USD. */
export function payFloor(value = process.env.COUNTERPUBLIC_PAY_FLOOR): PayFloor {
  if (value === undefined || value.trim() === "") return DEFAULT_PAY_FLOOR;
  const match = FLOOR_PATTERN.exec(value);
  if (!match) throw new Error(`COUNTERPUBLIC_PAY_FLOOR must look like "12" or "12.50 USD", got ${JSON.stringify(value)}`);
  return { ratePerHour: Math.round(Number(match[1]) * 100), currency: (match[2] ?? "USD").toUpperCase() };
}

/** The charter's hourly rate (whole currency units) in minor units. */
export function rateMinorPerHour(charter: Charter): number {
  return Math.round(charter.pay.ratePerHour * 100);
}

/** Refuses a charter whose rate is below the floor unless it declares the work voluntary (400 naming `<field>.ratePerHour`). */
export function assertCharterPay(charter: Charter, field = "charter.pay"): void {
  const floor = payFloor();
  const check = validatePayRate({ rate: rateMinorPerHour(charter), currency: charter.pay.currency, volunteer: charter.pay.volunteer, floor });
  if (check.ok) return;
  const floorText = `${(floor.ratePerHour / 100).toFixed(2)} ${floor.currency}/h`;
  if (check.reason === "no_floor_for_currency") {
    throw new AppError("pay_below_floor", `no pay floor is configured for ${charter.pay.currency} (the floor is ${floorText})`, `${field}.currency`);
  }
  throw new AppError(
    "pay_below_floor",
    `${field}.ratePerHour ${charter.pay.ratePerHour} ${charter.pay.currency}/h is below the pay floor of ${floorText}; pay at least the floor or declare the work voluntary (pay.volunteer: true)`,
    `${field}.ratePerHour`,
  );
}
