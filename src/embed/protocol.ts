/**
 * The widget's message protocol between a host page and the Pluralscope iframe.
 *
 * iframe -> host: { source: 'pluralscope', widget, type: 'ready' | 'progress' | 'done' | 'error', detail }
 *   sent with an explicit target origin (the host's), never '*'.
 * host -> iframe: { source: 'pluralscope-host', widget, type: 'show', record } (a stored run record to display),
 *   or { ..., type: 'show-error', message } (the record could not be fetched: shown as plain text);
 *   accepted only from the parent window and only from allowed origins.
 * The iframe never sends tokens, keys or stored runs: only the summary of the run it showed.
 */

export const FROM_WIDGET = 'pluralscope';
export const FROM_HOST = 'pluralscope-host';

export interface WidgetMessage {
  source: typeof FROM_WIDGET;
  widget: string;
  type: 'ready' | 'progress' | 'done' | 'error';
  detail: unknown;
}

export type HostMessage =
  | { source: typeof FROM_HOST; widget: string; type: 'show'; record: unknown }
  | { source: typeof FROM_HOST; widget: string; type: 'show-error'; message: string };

/** The longest error text a host may have shown. */
const MAX_ERROR_LENGTH = 300;

/** Parses an allow-list ("https://a.example, https://b.example"); invalid entries are dropped. */
export function parseAllowList(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .flatMap((entry) => {
      try {
        const url = new URL(entry);
        return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
      } catch {
        return [];
      }
    });
}

/** Whether a message event comes from an allowed host: the parent window, an allowed origin, the right shape. */
export function acceptHostMessage(
  event: { origin: string; source: unknown; data: unknown },
  parent: unknown,
  allowed: readonly string[],
  widget: string,
): HostMessage | null {
  if (event.source !== parent) return null;
  if (!allowed.includes(event.origin)) return null;
  const data = event.data as { source?: unknown; widget?: unknown; type?: unknown; record?: unknown; message?: unknown } | null;
  if (!data || typeof data !== 'object' || data.source !== FROM_HOST || data.widget !== widget) return null;
  if (data.type === 'show') return { source: FROM_HOST, widget, type: 'show', record: data.record };
  if (data.type === 'show-error' && typeof data.message === 'string') {
    return { source: FROM_HOST, widget, type: 'show-error', message: data.message.slice(0, MAX_ERROR_LENGTH) };
  }
  return null;
}
