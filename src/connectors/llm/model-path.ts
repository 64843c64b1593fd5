/**
 * GGUF subjects load files from the operator's models folder only. `modelPath` is a name relative to
 * it: no absolute paths, no `..`, and a symlink may not lead outside (checked on the real path). Every
 * refusal about the file itself reads the same, so nothing can be learnt about files outside the folder.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

export type ModelPathRule = "local_models_disabled" | "relative_name" | "no_such_model";

export class ModelPathError extends Error {
  override readonly name = "ModelPathError";
  constructor(
    readonly rule: ModelPathRule,
    message: string,
  ) {
    super(message);
  }
}

const NO_SUCH_MODEL = "there is no model file by that name in the server's models folder";

/** The model file's real, absolute path inside `modelsDir`, or a ModelPathError. */
export async function resolveModelPath(modelsDir: string | null, name: string): Promise<string> {
  if (!modelsDir) throw new ModelPathError("local_models_disabled", "this server does not run local models: the operator has not set COUNTERPUBLIC_MODELS_DIR");
  const segments = name.split(/[\\/]+/);
  if (!name || name.includes("\0") || path.isAbsolute(name) || path.win32.isAbsolute(name) || segments.some((segment) => segment === ".." || segment === "")) {
    throw new ModelPathError("relative_name", "modelPath must be a file name inside the server's models folder (no absolute path, no ..)");
  }
  let root: string;
  try {
    root = await realpath(modelsDir);
  } catch {
    throw new ModelPathError("local_models_disabled", "the server's models folder cannot be read");
  }
  try {
    const real = await realpath(path.join(root, ...segments));
    if (!real.startsWith(root + path.sep) || !(await stat(real)).isFile()) throw new Error("outside or not a file");
    return real;
  } catch {
    throw new ModelPathError("no_such_model", NO_SUCH_MODEL);
  }
}
