/** Dissent answers: a report envelope always holds the report its route wrote or signed. */
import { AppError } from "../../core/errors.ts";

export function presentReport<R>(report: R | undefined): { report: R } {
  if (!report) throw new AppError("not_found", "no such minority report", "reportId");
  return { report };
}
