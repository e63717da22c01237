import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { getJson } from '../api';
import { type AslDefinition, allStateNames } from '../graph/asl-graph';
import { WorkflowGraph } from '../graph/graph-view';
import { useLoad } from '../hooks';

/** A state machine as the console API lists it. */
export interface StateMachineInfo {
  name: string;
  stateMachineArn: string;
  type: string;
  definition: AslDefinition;
}

/** Workflows: every state machine, one drawn as a graph. */
export const WorkflowsView = (): VNode => {
  const machines = useLoad(() => getJson<StateMachineInfo[]>('/state-machines'), []);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  if (machines.error !== undefined) return html`<p role="alert">${machines.error}</p>` as VNode;
  if (machines.data === undefined) return html`<p aria-busy="true">Loading…</p>` as VNode;
  const list = machines.data;
  const current = list.find((m) => m.stateMachineArn === chosen) ?? list[0];
  return html`<section aria-labelledby="wf-title">
    <h1 id="wf-title">Workflows</h1>
    ${
      list.length === 0
        ? html`<p>No state machines are deployed.</p>`
        : html`<div class="toolbar">
              <label>
                State machine
                <select
                  value=${current?.stateMachineArn}
                  onChange=${(e: Event) => setChosen((e.target as HTMLSelectElement).value)}
                >
                  ${list.map((m) => html`<option value=${m.stateMachineArn}>${m.name} (${m.type})</option>`)}
                </select>
              </label>
              ${
                current === undefined
                  ? ''
                  : html`<span class="muted"
                      >${allStateNames(current.definition).length} states ·${' '}
                      <a href=${`#/executions?sm=${encodeURIComponent(current.stateMachineArn)}`}
                        >its executions</a
                      ></span
                    >`
              }
            </div>
            ${current === undefined ? '' : html`<${WorkflowGraph} definition=${current.definition} title=${`Graph of ${current.name}`} />`}`
    }
  </section>` as VNode;
};
