import core from "./core.ts";
import engage from "./engage.ts";
import organise from "./organise.ts";
import participate from "./participate.ts";
import results from "./results.ts";

const en = { ...core, ...participate, ...engage, ...organise, ...results };
export default en;
