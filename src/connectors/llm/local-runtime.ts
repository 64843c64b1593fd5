/**
 * node-llama-cpp, loaded lazily and optionally: the app runs without it. One Llama runtime per process,
 * CPU only, from the prebuilt binary: it never downloads or compiles anything.
 */
import { open } from "node:fs/promises";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { ConnectorError } from "./errors.ts";

type NodeLlamaCpp = typeof import("node-llama-cpp");

let bindings: Promise<NodeLlamaCpp> | null = null;
let runtime: Promise<Llama> | null = null;

export function loadBindings(): Promise<NodeLlamaCpp> {
  bindings ??= import("node-llama-cpp").catch((error: unknown) => {
    bindings = null;
    throw new ConnectorError("unreachable", `local models need the optional package node-llama-cpp, which could not be loaded (${errorText(error)})`);
  });
  return bindings;
}

/** The process-wide CPU runtime. */
function localRuntime(): Promise<Llama> {
  runtime ??= (async () => {
    const { getLlama, LlamaLogLevel } = await loadBindings();
    try {
      return await getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.error, logger: () => undefined });
    } catch (error) {
      throw new ConnectorError("unreachable", `node-llama-cpp's prebuilt CPU binary could not be loaded on this machine (${errorText(error)})`);
    }
  })().catch((error: unknown) => {
    runtime = null;
    throw error;
  });
  return runtime;
}

/** Frees the shared runtime (tests, shutdown). Models loaded from it must be closed first. */
export async function releaseLocalRuntime(): Promise<void> {
  const current = runtime;
  runtime = null;
  if (current) await (await current.catch(() => null))?.dispose();
}

const GGUF_MAGIC = "GGUF";

/** Checks the file is there and starts with the GGUF magic, then loads it. */
export async function loadGgufModel(modelPath: string): Promise<LlamaModel> {
  await assertGgufFile(modelPath);
  const llama = await localRuntime();
  try {
    return await llama.loadModel({ modelPath, gpuLayers: 0 });
  } catch (error) {
    throw new ConnectorError("not_a_model", `the GGUF file could not be loaded as a model: ${errorText(error)}`);
  }
}

async function assertGgufFile(modelPath: string): Promise<void> {
  let head: Buffer;
  try {
    const file = await open(modelPath, "r");
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConnectorError("unreachable", `no model file at ${modelPath}`);
    throw new ConnectorError("not_a_model", `${modelPath} cannot be read as a model file (${code ?? errorText(error)})`);
  }
  if (head.toString("latin1") !== GGUF_MAGIC) {
    throw new ConnectorError("not_a_model", `${modelPath} is not a GGUF model (it does not start with the "GGUF" magic bytes)`);
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 240);
}
