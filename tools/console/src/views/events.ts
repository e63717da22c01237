import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../api';
import { useLoad } from '../hooks';
import { formatTime } from '../model/format';

interface RecentEvent {
  eventBusName: string;
  receivedAt: string;
  event: {
    id: string;
    source: string;
    'detail-type': string;
    time: string;
    detail: unknown;
    'replay-name'?: string;
  };
  matchedRules: string[];
  archives: string[];
  deliveries: {
    ruleName?: string;
    targetId?: string;
    status?: string;
    attempts?: number;
    errorCode?: string;
  }[];
}

/** The badge colour of a delivery status (the execution badges' classes). */
const DELIVERY_BADGE: Record<string, string> = {
  delivered: 'badge-succeeded',
  pending: 'badge-pending',
  retrying: 'badge-running',
  failed: 'badge-failed',
  'dead-lettered': 'badge-failed',
};

const deliveryList = (deliveries: RecentEvent['deliveries']): VNode =>
  deliveries.length === 0
    ? (html`<span class="muted">none</span>` as VNode)
    : (html`<ul class="reasons">
        ${deliveries.map(
          (d) =>
            html`<li>
              ${d.targetId ?? '?'}${' '}
              <span class=${`badge ${DELIVERY_BADGE[d.status ?? ''] ?? ''}`}>${d.status ?? 'unknown'}</span>
              ${(d.attempts ?? 0) > 1 ? html`<span class="muted"> ${d.attempts} attempts</span>` : ''}
              ${d.errorCode === undefined ? '' : html`<span class="muted"> (last error ${d.errorCode})</span>`}
            </li>`,
        )}
      </ul>` as VNode);

interface EventsPage {
  buses: string[];
  archives: { ArchiveName: string; EventSourceArn: string; EventCount?: number }[];
  events: RecentEvent[];
}

/**
 * Events: the newest events the buses received (kept across restarts of the local cloud) with the rules each matched
 * and how each target delivery went, per bus, and replay of an archived event.
 */
export const EventsView = (): VNode => {
  const [bus, setBus] = useState('');
  const page = useLoad(() => getJson<EventsPage>('/events', { bus }), [bus], ['services']);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | undefined>(undefined);
  const replay = async (archiveName: string, eventId: string): Promise<void> => {
    try {
      const result = await postJson<{ ReplayArn: string }>('/events/replay', { archiveName, eventId });
      setMessage({
        text: `Replay started (${result.ReplayArn.slice(result.ReplayArn.lastIndexOf('/') + 1)}).`,
        ok: true,
      });
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? e.message : String(e), ok: false });
    }
  };
  return html`<section aria-labelledby="ev-title">
    <h1 id="ev-title">Events</h1>
    <div class="toolbar">
      <label>
        Event bus
        <select value=${bus} onChange=${(e: Event) => setBus((e.target as HTMLSelectElement).value)}>
          <option value="">All buses</option>
          ${(page.data?.buses ?? []).map((b) => html`<option value=${b}>${b}</option>`)}
        </select>
      </label>
      <span class="muted"
        >Archives:${' '}
        ${(page.data?.archives ?? []).map((a) => `${a.ArchiveName} (${a.EventCount ?? 0})`).join(', ') || 'none'}</span
      >
    </div>
    <p
      role=${message?.ok === false ? 'alert' : 'status'}
      class=${message?.ok === false ? 'error-text' : 'ok-text'}
    >
      ${message?.text ?? ''}
    </p>
    <p class="muted">
      Newest first, up to 100. Kept in the data folder, so it survives a restart of the local cloud;${' '}
      <code>--reset</code> clears it.
    </p>
    ${page.error !== undefined ? html`<p role="alert">${page.error}</p>` : ''}
    <table class="grid" data-testid="events">
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Bus</th>
          <th scope="col">Source</th>
          <th scope="col">Detail type</th>
          <th scope="col">Matched rules</th>
          <th scope="col">Deliveries</th>
          <th scope="col">Detail</th>
          <th scope="col">Replay</th>
        </tr>
      </thead>
      <tbody>
        ${(page.data?.events ?? []).map(
          (e) =>
            html`<tr key=${`${e.event.id}/${e.event['replay-name'] ?? ''}/${e.receivedAt}`}>
              <td>${formatTime(e.receivedAt)}</td>
              <td>${e.eventBusName}</td>
              <td>${e.event.source}</td>
              <td>${e.event['detail-type']}</td>
              <td>
                ${
                  e.matchedRules.length === 0
                    ? html`<span class="muted">none</span>`
                    : html`<ul class="reasons">
                        ${e.matchedRules.map((r) => html`<li>${r}</li>`)}
                      </ul>`
                }
              </td>
              <td>${deliveryList(e.deliveries)}</td>
              <td>
                <details>
                  <summary>detail</summary>
                  <pre>${JSON.stringify(e.event.detail, null, 2)}</pre>
                </details>
              </td>
              <td>
                ${e.archives.map((a) => html`<button type="button" onClick=${() => void replay(a, e.event.id)}>Replay from ${a}</button>`)}
              </td>
            </tr>`,
        )}
        ${
          page.data !== undefined && page.data.events.length === 0
            ? html`<tr>
                <td colspan="8">No events yet.</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>
  </section>` as VNode;
};
