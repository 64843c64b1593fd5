import { render } from "preact";
import { App } from "./shell/app.tsx";
import { initialLanguage, startI18n } from "./lib/i18n.ts";
import "./styles.css";

const root = document.getElementById("app");
if (root) void startI18n(initialLanguage()).then(() => render(<App />, root));
