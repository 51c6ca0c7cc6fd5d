import type { Formatter } from "./types.js";

/** The versioned JSON report (SPEC 4), two-space indented, ending in a newline. */
export const formatJson: Formatter = (report) => `${JSON.stringify(report, null, 2)}\n`;
