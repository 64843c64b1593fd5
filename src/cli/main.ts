import { Command } from "commander";
import { register as registerAdmin } from "./admin.ts";
import { register as registerAnalyze } from "./analyze.ts";
import { register as registerCard } from "./card.ts";
import { register as registerOpinion } from "./opinion.ts";
import { register as registerResults } from "./results.ts";
import { register as registerServe } from "./serve.ts";
import { register as registerTransfer } from "./transfer.ts";

const program = new Command()
  .name("counterpublic")
  .description("Democratic evaluation of AI systems: serve, import, export, analyse")
  .version("0.1.0");

registerServe(program);
registerAdmin(program);
registerTransfer(program);
registerAnalyze(program);
registerOpinion(program);
registerResults(program);
registerCard(program);

await program.parseAsync(process.argv);
