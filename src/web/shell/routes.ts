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
  { pattern: "/", loader: () => import("../join/HomePage.tsx") },
  { pattern: "/join/:token", loader: () => import("../join/JoinPage.tsx") },
  { pattern: "/e/:id/judge", loader: () => import("../judge/JudgePage.tsx"), area: "judge" },
  { pattern: "/e/:id/deliberate", loader: () => import("../deliberate/DeliberatePage.tsx"), area: "deliberate" },
  { pattern: "/e/:id/govern", loader: () => import("../govern/GovernPage.tsx"), area: "govern" },
  { pattern: "/e/:id/my-data", loader: () => import("../my-data/MyDataPage.tsx"), area: "my-data" },
  { pattern: "/e/:id/results", loader: () => import("../results/ResultsPage.tsx"), area: "results" },
  { pattern: "/organise", loader: () => import("../organise/OrganisePage.tsx") },
  { pattern: "/organise/new", loader: () => import("../organise/NewEvaluationPage.tsx") },
  { pattern: "/organise/:id", loader: () => import("../organise/ManagePage.tsx") },
];
