import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { getJson } from '../api';
import { useLoad } from '../hooks';
import { arnName, formatDuration, formatTime } from '../model/format';
import { StatusBadge } from './status';
import { type StateMachineInfo } from './workflows';

/** An execution in the list. */
export interface ExecutionItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: string;
  stopDate?: string;
  redriveCount?: number;
}

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const PAGE = 50;

/** Executions: one server-side page at a time (50), filtered by state machine and status, refreshed live. */
export const ExecutionsView = ({ initialMachine }: { initialMachine?: string }): VNode => {
  const [machine, setMachine] = useState(initialMachine ?? '');
  const [status, setStatus] = useState('');
  /** Tokens of the pages before the current one (the first page has token ''). */
  const [tokens, setTokens] = useState<string[]>(['']);
  const token = tokens[tokens.length - 1] ?? '';
  const machines = useLoad(() => getJson<StateMachineInfo[]>('/state-machines'), []);
  const page = useLoad(
    () =>
      getJson<{ executions: ExecutionItem[]; nextToken?: string }>('/executions', {
        stateMachineArn: machine,
        status,
        limit: String(PAGE),
        nextToken: token,
      }),
    [machine, status, token],
    ['executions'],
  );
  const reset = (): void => setTokens(['']);
  return html`<section aria-labelledby="ex-title">
    <h1 id="ex-title">Executions</h1>
    <form class="toolbar" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>
        State machine
        <select
          value=${machine}
          onChange=${(e: Event) => {
            setMachine((e.target as HTMLSelectElement).value);
            reset();
          }}
        >
          <option value="">All</option>
          ${(machines.data ?? []).map((m) => html`<option value=${m.stateMachineArn}>${m.name}</option>`)}
        </select>
      </label>
      <label>
        Status
        <select
          value=${status}
          onChange=${(e: Event) => {
            setStatus((e.target as HTMLSelectElement).value);
            reset();
          }}
        >
          <option value="">All</option>
          ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </label>
      <span class="muted" aria-live="polite">${page.loading ? 'Updating…' : ''}</span>
    </form>
    ${page.error !== undefined ? html`<p role="alert">${page.error}</p>` : ''}
    <table class="grid" data-testid="executions">
      <caption class="sr-only">
        Executions, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">State machine</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Stopped</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        ${(page.data?.executions ?? []).map(
          (e) =>
            html`<tr key=${e.executionArn} data-execution=${e.name}>
              <td>
                <a href=${`#/execution/${encodeURIComponent(e.executionArn)}`}>${e.name}</a
                >${(e.redriveCount ?? 0) > 0 ? html` <span class="muted">(redriven ${e.redriveCount}×)</span>` : ''}
              </td>
              <td>${arnName(e.stateMachineArn)}</td>
              <td><${StatusBadge} status=${e.status} /></td>
              <td>${formatTime(e.startDate)}</td>
              <td>${formatTime(e.stopDate)}</td>
              <td>${formatDuration(e.startDate, e.stopDate)}</td>
            </tr>`,
        )}
        ${
          page.data !== undefined && page.data.executions.length === 0
            ? html`<tr>
                <td colspan="6">No executions match.</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>
    <nav class="pager" aria-label="Pages of executions">
      <button type="button" disabled=${tokens.length <= 1} onClick=${() => setTokens(tokens.slice(0, -1))}>
        Previous page
      </button>
      <span>Page ${tokens.length}</span>
      <button
        type="button"
        disabled=${page.data?.nextToken === undefined}
        onClick=${() => page.data?.nextToken !== undefined && setTokens([...tokens, page.data.nextToken])}
      >
        Next page
      </button>
    </nav>
  </section>` as VNode;
};
