/**
 * <pluralscope-widget>: one script tag puts a live Pluralscope result on any page.
 *
 *   <script src="https://<pluralscope site>/embed.js"></script>
 *   <pluralscope-widget suite="fair-pp" model="onnx-community/Qwen2.5-0.5B-Instruct" sample="100" mode="run"></pluralscope-widget>
 *
 * The element renders an iframe of the Pluralscope site inside a shadow root (the host page's CSS
 * cannot reach in, the widget's cannot leak out). Everything runs in that iframe, on the
 * Pluralscope origin: the host page cannot read its storage, tokens or keys; it only receives
 * DOM events with the run's progress and summary.
 *
 * This file is a plain script with no imports (it may be loaded as a classic script).
 */

const ATTRIBUTES = ['model', 'suite', 'sample', 'mode', 'src', 'theme', 'height', 'device', 'options', 'data', 'hub-host', 'autorun'] as const;

const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? '';

let counter = 0;

class PluralscopeWidget extends HTMLElement {
  static observedAttributes = [...ATTRIBUTES];
  private readonly root: ShadowRoot;
  private frame: HTMLIFrameElement | null = null;
  private readonly widgetId = `w${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly listener = (event: MessageEvent) => this.onMessage(event);
  private siteOrigin = '';

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'closed' });
  }

  private renderQueued = false;

  connectedCallback(): void {
    window.addEventListener('message', this.listener);
    this.scheduleRender();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.listener);
  }

  /** Attribute changes (several at once when the element is created) render once. */
  attributeChangedCallback(): void {
    if (this.isConnected) this.scheduleRender();
  }

  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private embedUrl(): URL {
    const base = this.getAttribute('site') ?? scriptUrl;
    const url = new URL('embed.html', base || location.href);
    this.siteOrigin = url.origin;
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name);
      if (value !== null && name !== 'src' && name !== 'height') url.searchParams.set(name, value);
    }
    url.searchParams.set("widget", this.widgetId);
    url.searchParams.set('parent', location.origin);
    return url;
  }

  private render(): void {
    const height = this.getAttribute('height') ?? '420';
    const style = document.createElement('style');
    style.textContent = `:host{display:block;width:100%;max-width:100%}iframe{display:block;width:100%;height:${/^\d+$/.test(height) ? `${height}px` : height};border:1px solid #dcdfe5;border-radius:8px;background:transparent}`;
    const frame = document.createElement('iframe');
    frame.src = this.embedUrl().href;
    frame.title = this.getAttribute('title') ?? 'Pluralscope benchmark';
    frame.loading = 'lazy';
    frame.referrerPolicy = 'origin';
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox');
    this.frame = frame;
    this.root.replaceChildren(style, frame);
  }

  /** Fetches a stored run record (from the host's own site) and hands it to the iframe. */
  private async sendRecord(src: string): Promise<void> {
    const post = (message: Record<string, unknown>) =>
      this.frame?.contentWindow?.postMessage({ source: 'pluralscope-host', widget: this.widgetId, ...message }, this.siteOrigin);
    try {
      const response = await fetch(src);
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${src}`);
      const text = await response.text();
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        throw new Error(`${src} is not a run record (not JSON)`);
      }
      post({ type: 'show', record });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The widget says so too, instead of waiting for a record that will not come.
      post({ type: 'show-error', message });
      this.dispatchEvent(new CustomEvent('pluralscope:error', { detail: { message }, bubbles: true, composed: true }));
    }
  }

  private onMessage(event: MessageEvent): void {
    if (event.origin !== this.siteOrigin || event.source !== this.frame?.contentWindow) return;
    const data = event.data as { source?: string; widget?: string; type?: string; detail?: unknown } | null;
    if (!data || data.source !== 'pluralscope' || data.widget !== this.widgetId) return;
    const src = this.getAttribute('src');
    if (data.type === 'ready' && this.getAttribute('mode') === 'show' && src) {
      void this.sendRecord(src);
      return;
    }
    this.dispatchEvent(new CustomEvent(`pluralscope:${data.type}`, { detail: data.detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('pluralscope-widget')) customElements.define('pluralscope-widget', PluralscopeWidget);
