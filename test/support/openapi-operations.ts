/**
 * The operations the server documents in /api/openapi.json, and a minimal valid request body for each, made
 * from the operation's own JSON schema: required properties only, the first enum value or oneOf branch, the
 * smallest allowed number or array, a text of the minimum length, a date-time a week ahead. A schema this
 * cannot satisfy (a uuid that must name a real row, a `pattern`) is reported, so the caller gives an override.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number | boolean;
  format?: string;
  pattern?: string;
  default?: unknown;
  nullable?: boolean;
  $ref?: string;
}

export interface Operation {
  /** `METHOD /path/{param}`, as the expectation table names it */
  key: string;
  method: string;
  path: string;
  params: string[];
  body: JsonSchema | null;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export async function documentedOperations(baseUrl: string): Promise<{ operations: Operation[]; resolve: (schema: JsonSchema) => JsonSchema }> {
  const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const target = schemas[schema.$ref.replace("#/components/schemas/", "")];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target);
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
      body: op.requestBody?.content?.["application/json"]?.schema ?? null,
    })),
  );
  return { operations, resolve };
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The smallest value `schema` accepts, or an Error naming the place that needs an override. */
export function minimalValue(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema = (s) => s, at = "body"): unknown {
  const s = resolve(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0];
  if (branch) return minimalValue(branch, resolve, at);
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((part) => minimalValue(part, resolve, at)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = minimalValue(s.properties?.[name] ?? {}, resolve, `${at}.${name}`);
      return out;
    }
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, (_, i) => minimalValue(s.items ?? {}, resolve, `${at}.${i}`));
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return false;
    case "string": {
      if (s.format === "date-time") return new Date(Date.now() + WEEK_MS).toISOString();
      if (s.format === "uuid") throw new Error(`${at} is a uuid: give a real id in an override`);
      const text = "matrix".padEnd(Math.max(s.minLength ?? 1, 6), "x").slice(0, s.maxLength ?? Infinity);
      if (s.pattern && !new RegExp(s.pattern).test(text)) throw new Error(`${at} must match ${s.pattern}: give it in an override`);
      return text;
    }
    default:
      return {};
  }
}
