/** The one HTTP client: JSON in, JSON out, problem+json errors turned into ApiError. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, detail: string, field?: string) {
    super(detail);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

interface Problem {
  code?: string;
  detail?: string;
  field?: string;
  message?: string;
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "the server could not be reached");
  }
  const text = await response.text();
  const parsed: unknown = text && (response.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = (parsed ?? {}) as Problem;
    const code = problem.code ?? (response.status >= 500 ? "internal_error" : "bad_request");
    throw new ApiError(response.status, code.toLowerCase(), problem.detail ?? problem.message ?? response.statusText, problem.field);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => send<T>("GET", path),
  post: <T>(path: string, body: unknown = {}) => send<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => send<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => send<T>("PATCH", path, body),
};

export function evaluationPath(id: string, rest = ""): string {
  return `/api/evaluations/${encodeURIComponent(id)}${rest}`;
}
