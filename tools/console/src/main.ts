import { html } from 'htm/preact';
import { render, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onConnection } from './api';
import { ApprovalsView } from './views/approvals';
import { EventsView } from './views/events';
import { ExecutionView } from './views/execution';
import { ExecutionsView } from './views/executions';
import { QueuesView } from './views/queues';
import { WorkflowsView } from './views/workflows';

/** The console's routes: `#/<view>[/<arg>][?query]`. */
export const parseRoute = (hash: string): { view: string; arg?: string; query: URLSearchParams } => {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [view = 'workflows', ...rest] = path.split('/');
  const arg = rest.length === 0 ? undefined : decodeURIComponent(rest.join('/'));
  return {
    view: view === '' ? 'workflows' : view,
    ...(arg === undefined ? {} : { arg }),
    query: new URLSearchParams(search),
  };
};

const NAV = [
  ['workflows', 'Workflows'],
  ['executions', 'Executions'],
  ['approvals', 'Approvals'],
  ['queues', 'Queues'],
  ['events', 'Events'],
] as const;

const App = (): VNode => {
  const [hash, setHash] = useState(location.hash);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const onHash = (): void => setHash(location.hash);
    addEventListener('hashchange', onHash);
    onConnection(setConnected);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const route = parseRoute(hash);
  const active = route.view === 'execution' ? 'executions' : route.view;
  useEffect(() => {
    document.title = `${NAV.find(([v]) => v === active)?.[1] ?? 'Console'} · Local cloud`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route.view, route.arg]);
  let view: VNode;
  switch (route.view) {
    case 'executions':
      view = html`<${ExecutionsView}
        key=${route.query.get('sm') ?? ''}
        initialMachine=${route.query.get('sm') ?? ''}
      />` as VNode;
      break;
    case 'execution':
      view = html`<${ExecutionView} key=${route.arg} arn=${route.arg ?? ''} />` as VNode;
      break;
    case 'approvals':
      view = html`<${ApprovalsView} />` as VNode;
      break;
    case 'queues':
      view = html`<${QueuesView} />` as VNode;
      break;
    case 'events':
      view = html`<${EventsView} />` as VNode;
      break;
    default:
      view = html`<${WorkflowsView} />` as VNode;
  }
  return html`
    <a
      class="skip"
      href="#main"
      onClick=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >Skip to content</a
    >
    <header class="top">
      <span class="brand">Local cloud console</span>
      <nav aria-label="Console sections">
        <ul>
          ${NAV.map(([v, label]) => html`<li><a href=${`#/${v}`} aria-current=${active === v ? 'page' : undefined}>${label}</a></li>`)}
        </ul>
      </nav>
      <span class=${connected ? 'live on' : 'live off'} role="status"
        >${connected ? 'Live' : 'Connecting…'}</span
      >
    </header>
    <main id="main" tabindex="-1">${view}</main>
  ` as VNode;
};

const root = document.getElementById('app');
if (root !== null) render(html`<${App} />`, root);
