import type en from "./en/index.ts";

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Every language's catalog has exactly the English catalog's keys (the compiler checks completeness). */
export type Catalog = Shape<typeof en>;
