import type { ComponentType } from "preact";

type Loader = () => Promise<{ default: ComponentType<Record<string, string>> }>;

export interface Route {
  pattern: string;
  loader: Loader;
  /** the evaluation-area tab this page belongs to, for the participant navigation */
  area?: "judge" | "deliberate" | "govern" | "my-data" | "results";
}

/** Each area is its own chunk, so a participant never downloads the organiser's forms or the plots. */
export const ROUTES: readonly Route[] = [
  { pattern: "/", loader: () => import("../join/home-page.tsx") },
  { pattern: "/join/:token", loader: () => import("../join/join-page.tsx") },
  { pattern: "/e/:id/join", loader: () => import("../join/join-page.tsx") },
  { pattern: "/e/:id/judge", loader: () => import("../judge/judge-page.tsx"), area: "judge" },
  { pattern: "/e/:id/deliberate", loader: () => import("../deliberate/deliberate-page.tsx"), area: "deliberate" },
  { pattern: "/e/:id/govern", loader: () => import("../govern/govern-page.tsx"), area: "govern" },
  { pattern: "/e/:id/my-data", loader: () => import("../my-data/my-data-page.tsx"), area: "my-data" },
  { pattern: "/e/:id/results", loader: () => import("../results/results-page.tsx"), area: "results" },
  { pattern: "/organise", loader: () => import("../organise/organise-page.tsx") },
  { pattern: "/organise/new", loader: () => import("../organise/new-evaluation-page.tsx") },
  { pattern: "/organise/:id", loader: () => import("../organise/manage-page.tsx") },
];
