import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../api';
import { type AslDefinition } from '../graph/asl-graph';
import { WorkflowGraph } from '../graph/graph-view';
import { useLoad } from '../hooks';
import { executionPath, type HistoryEventJson, type Step } from '../model/execution-path';
import { arnName, formatDuration, formatTime, formatUsd, prettyJson } from '../model/format';
import { StatusBadge } from './status';

interface ExecutionDetail {
  execution: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: string;
    startDate: string;
    stopDate?: string;
    input?: string;
    output?: string;
    error?: string;
    cause?: string;
    redriveCount?: number;
  };
  stateMachine: { name: string; type: string; definition: AslDefinition };
  events: HistoryEventJson[];
}

const eventDetails = (event: HistoryEventJson): string => {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails')) return JSON.stringify(value, null, 2);
  }
  return '';
};

const StepDetails = ({ step }: { step: Step }): VNode =>
  html`<div class="step-details" data-testid="step-details">
    <h3>${step.name} <${StatusBadge} status=${step.status} /></h3>
    <p class="muted">
      Entered
      ${formatTime(step.enteredAt)}${step.exitedAt === undefined ? '' : ` · took ${formatDuration(step.enteredAt, step.exitedAt)}`}
      · retries ${step.retries}
    </p>
    ${
      step.error === undefined
        ? ''
        : html`<div class="error-box" role="note">
            <strong>${step.error}</strong>
            <pre>${prettyJson(step.cause)}</pre>
          </div>`
    }
    <div class="io">
      <div>
        <h4>Input</h4>
        <pre tabindex="0">${prettyJson(step.input)}</pre>
      </div>
      <div>
        <h4>Output</h4>
        <pre tabindex="0">${step.output === undefined ? '—' : prettyJson(step.output)}</pre>
      </div>
    </div>
  </div>` as VNode;

/** One execution: summary and cost, actions, its path on the graph (live), the steps and the AWS history. */
export const ExecutionView = ({ arn }: { arn: string }): VNode => {
  const detail = useLoad(
    () => getJson<ExecutionDetail>('/execution', { arn }),
    [arn],
    ['executions'],
    (data) => {
      const arns = (data as { arns?: string[] | null }).arns;
      return arns === null || arns === undefined || arns.includes(arn);
    },
  );
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  if (detail.error !== undefined && detail.data === undefined)
    return html`<p role="alert">${detail.error}</p>` as VNode;
  if (detail.data === undefined) return html`<p aria-busy="true">Loading…</p>` as VNode;
  const { execution, stateMachine, events } = detail.data;
  const path = executionPath(events, execution.status);
  const act = async (action: 'stop' | 'redrive'): Promise<void> => {
    try {
      await postJson(`/execution/${action}`, { executionArn: arn });
      setMessage({ kind: 'ok', text: action === 'stop' ? 'Stop requested.' : 'Redrive started.' });
      detail.reload();
    } catch (e) {
      setMessage({
        kind: 'error',
        text: e instanceof ApiError ? `${e.body.error ?? ''}: ${e.message}` : String(e),
      });
    }
  };
  const selectedSteps = path.steps.filter((s) => s.name === selected);
  const shownStep = selectedSteps[selectedSteps.length - 1];
  const error = execution.error ?? path.error;
  const cause = execution.cause ?? path.cause;
  const redrivable =
    execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED';
  return html`<section aria-labelledby="exec-title">
    <p><a href=${`#/executions`}>← Executions</a></p>
    <h1 id="exec-title">${execution.name} <${StatusBadge} status=${execution.status} /></h1>
    <dl class="summary" data-testid="execution-summary">
      <div>
        <dt>State machine</dt>
        <dd>
          <a href=${`#/executions?sm=${encodeURIComponent(execution.stateMachineArn)}`}
            >${arnName(execution.stateMachineArn)}</a
          >
          ${' '}(${stateMachine.type})
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>${formatTime(execution.startDate)}</dd>
      </div>
      <div>
        <dt>Stopped</dt>
        <dd>${formatTime(execution.stopDate)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>${formatDuration(execution.startDate, execution.stopDate)}</dd>
      </div>
      <div>
        <dt>Billed state transitions</dt>
        <dd data-testid="transitions">${path.transitions}</dd>
      </div>
      <div>
        <dt>Estimated Standard cost</dt>
        <dd data-testid="cost">${formatUsd(path.costUsd)} <span class="muted">($0.025 per 1,000)</span></dd>
      </div>
      ${
        (execution.redriveCount ?? 0) > 0
          ? html`<div>
              <dt>Redrives</dt>
              <dd>${execution.redriveCount}</dd>
            </div>`
          : ''
      }
    </dl>
    <div class="actions">
      <button
        type="button"
        class="danger"
        disabled=${execution.status !== 'RUNNING'}
        onClick=${() => void act('stop')}
      >
        Stop
      </button>
      <button type="button" disabled=${!redrivable} onClick=${() => void act('redrive')}>Redrive</button>
      <span role="status" class=${message?.kind === 'error' ? 'error-text' : 'ok-text'}
        >${message?.text ?? ''}</span
      >
    </div>
    ${
      error === undefined || execution.status === 'RUNNING' || execution.status === 'SUCCEEDED'
        ? ''
        : html`<div class="error-box" role="alert" data-testid="execution-error">
            <strong>Error: ${error}</strong>
            <pre>${prettyJson(cause)}</pre>
          </div>`
    }
    <div class="split">
      <div class="graph-pane">
        <h2>Path</h2>
        <p class="muted">Select a state to see its input and output.</p>
        <${WorkflowGraph}
          definition=${stateMachine.definition}
          outcomes=${path.outcomes}
          selected=${selected}
          onSelect=${setSelected}
          title=${`Path of ${execution.name} through ${stateMachine.name}`}
        />
      </div>
      <div class="side-pane">
        <h2>Steps</h2>
        ${shownStep === undefined ? '' : html`<${StepDetails} step=${shownStep} />`}
        <table class="grid" data-testid="steps">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Status</th>
              <th scope="col">Retries</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            ${path.steps.map(
              (s) =>
                html`<tr key=${s.enteredEventId}>
                  <td>
                    <button type="button" class="link" onClick=${() => setSelected(s.name)}>${s.name}</button>
                  </td>
                  <td><${StatusBadge} status=${s.status} /></td>
                  <td>${s.retries}</td>
                  <td>${formatDuration(s.enteredAt, s.exitedAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>
    <h2>Event history</h2>
    <table class="grid history" data-testid="history">
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">Type</th>
          <th scope="col">Timestamp</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        ${events.map(
          (e) =>
            html`<tr key=${e.id}>
              <td>${e.id}</td>
              <td>${e.type}</td>
              <td>${formatTime(e.timestamp)}</td>
              <td>
                <details>
                  <summary>details</summary>
                  <pre>${eventDetails(e)}</pre>
                </details>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>` as VNode;
};
