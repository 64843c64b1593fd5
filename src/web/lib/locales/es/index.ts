import type { Catalog } from "../types.ts";
import beyond from "./beyond.ts";
import core from "./core.ts";
import desk from "./desk.ts";
import engage from "./engage.ts";
import organise from "./organise.ts";
import participate from "./participate.ts";
import record from "./record.ts";
import results from "./results.ts";

const es: Catalog = { ...core, ...participate, ...engage, ...organise, ...results, ...beyond, ...record, ...desk };
export default es;
