import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../api';
import { useLoad } from '../hooks';
import { formatTime } from '../model/format';

interface QueueStats {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetterQueue?: { name: string; maxReceiveCount: number; depth: number };
  deadLetterSourceQueues: string[];
}

interface PeekedMessage {
  messageId: string;
  state: string;
  body: string;
  messageAttributes?: Record<string, { DataType?: string; StringValue?: string }>;
  receiveCount: number;
  sentTimestamp: number;
  deadLetterQueueSourceArn?: string;
}

const pretty = (body: string): string => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

const Messages = ({ queue }: { queue: string }): VNode => {
  const messages = useLoad(
    () => getJson<PeekedMessage[]>('/queues/messages', { queue }),
    [queue],
    ['services'],
  );
  if (messages.error !== undefined) return html`<p role="alert">${messages.error}</p>` as VNode;
  const list = messages.data ?? [];
  return html`<section aria-label=${`Messages in ${queue}`} data-testid="messages">
    <h2>Messages in ${queue}</h2>
    ${list.length === 0 ? html`<p>The queue is empty.</p>` : ''}
    ${list.map(
      (m) =>
        html`<details class="message" key=${m.messageId}>
          <summary>
            ${m.messageId} · ${m.state} · received ${m.receiveCount}× · sent ${formatTime(m.sentTimestamp)}
          </summary>
          <h3>Body</h3>
          <pre tabindex="0">${pretty(m.body)}</pre>
          <h3>Attributes</h3>
          <pre tabindex="0">
${JSON.stringify({ ...(m.messageAttributes ?? {}), ...(m.deadLetterQueueSourceArn === undefined ? {} : { DeadLetterQueueSourceArn: m.deadLetterQueueSourceArn }) }, null, 2)}</pre>
        </details>`,
    )}
  </section>` as VNode;
};

/** Queues: counters per queue (live), a queue's messages, and redrive of a dead-letter queue. */
export const QueuesView = (): VNode => {
  const queues = useLoad(() => getJson<QueueStats[]>('/queues'), [], ['services']);
  const [shown, setShown] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | undefined>(undefined);
  const redrive = async (queue: string): Promise<void> => {
    try {
      await postJson('/queues/redrive', { queue });
      setMessage({
        text: `Redrive of ${queue} started: its messages move back to their source queue.`,
        ok: true,
      });
      queues.reload();
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? e.message : String(e), ok: false });
    }
  };
  const list = queues.data ?? [];
  return html`<section aria-labelledby="q-title">
    <h1 id="q-title">Queues</h1>
    <p
      role=${message?.ok === false ? 'alert' : 'status'}
      class=${message?.ok === false ? 'error-text' : 'ok-text'}
    >
      ${message?.text ?? ''}
    </p>
    ${queues.error !== undefined ? html`<p role="alert">${queues.error}</p>` : ''}
    <table class="grid" data-testid="queues">
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col">Depth</th>
          <th scope="col">In flight</th>
          <th scope="col">Delayed</th>
          <th scope="col">Dead-letter queue</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        ${list.map((q) => {
          const isDlq = q.deadLetterSourceQueues.length > 0;
          return html`<tr key=${q.name} data-queue=${q.name}>
            <th scope="row">
              ${q.name}${q.fifo ? ' (FIFO)' : ''}${isDlq ? html` <span class="tag">DLQ of ${q.deadLetterSourceQueues.join(', ')}</span>` : ''}
            </th>
            <td class="num" data-testid="depth">${q.visible}</td>
            <td class="num">${q.inFlight}</td>
            <td class="num">${q.delayed}</td>
            <td>
              ${q.deadLetterQueue === undefined ? '—' : `${q.deadLetterQueue.name}: ${q.deadLetterQueue.depth} (after ${q.deadLetterQueue.maxReceiveCount} receives)`}
            </td>
            <td>
              <button type="button" onClick=${() => setShown(q.name)}>Messages</button>
              ${isDlq ? html`<button type="button" disabled=${q.visible === 0} onClick=${() => void redrive(q.name)}>Redrive</button>` : ''}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${shown === undefined ? '' : html`<${Messages} queue=${shown} />`}
  </section>` as VNode;
};
