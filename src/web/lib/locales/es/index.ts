import type { Catalog } from "../types.ts";
import beyond from "./beyond.ts";
import core from "./core.ts";
import desk from "./desk.ts";
import journeys from "./journeys.ts";
import engage from "./engage.ts";
import organise from "./organise.ts";
import participate from "./participate.ts";
import record from "./record.ts";
import results from "./results.ts";
import summary from "./summary.ts";

const es: Catalog = { ...core, ...participate, ...engage, ...organise, ...results, ...summary, ...beyond, ...record, ...desk, ...journeys };
export default es;
