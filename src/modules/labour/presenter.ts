/** Labour answers: payouts in camelCase. */
interface PayoutRow {
  id: string;
  amount_minor: number;
  currency: string;
  note: string;
  paid_at: Date;
}

export function presentPayout(row: PayoutRow) {
  return { id: row.id, amountMinor: row.amount_minor, currency: row.currency, note: row.note, paidAt: row.paid_at };
}

export function presentMyLabour<T extends { payouts: PayoutRow[] }>(labour: T) {
  return { ...labour, payouts: labour.payouts.map(presentPayout) };
}
