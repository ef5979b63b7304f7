// A tiny element builder so layouts read as a tree. Attributes only (no inline styles: the CSP
// blocks them); text children become text nodes, never HTML.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes?: Record<string, string>,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Record<string, string>, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

/**
 * A VS Code button: its visible label and the one a screen reader speaks. Secondary unless it is
 * its panel's main action (`primary`).
 */
export function button(
  label: string,
  ariaLabel: string,
  attributes: Record<string, string> = {},
  kind: 'primary' | 'secondary' = 'secondary',
): HTMLElement {
  const look: Record<string, string> = kind === 'secondary' ? { secondary: '' } : {};
  return h('vscode-button', { ...attributes, ...look, 'aria-label': ariaLabel }, label);
}

/** The element with this id in the page the host built (each panel's `#app`): a missing one is a
 *  bug, not a state. Inside a panel, layouts hand their elements over instead. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`#${id}`);
  if (!el) throw new Error(`Tensor Lens webview: #${id} is missing from the layout`);
  return el;
}
