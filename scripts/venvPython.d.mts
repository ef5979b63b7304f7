/** The pinned Python environment's interpreter (scripts/venvPython.mjs). */
export function venvPython(): string;
