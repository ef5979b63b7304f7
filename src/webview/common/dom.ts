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

/** The element with this id in the page the host built (each panel's `#app`): a missing one is a
 *  bug, not a state. Inside a panel, layouts hand their elements over instead. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`#${id}`);
  if (!el) throw new Error(`Tensor Lens webview: #${id} is missing from the layout`);
  return el;
}
