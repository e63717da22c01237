import ELK, { type ElkPoint } from 'elkjs/lib/elk-api.js';
import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type StepStatus } from '../model/execution-path';
import { type AslDefinition, aslToGraph, type StateNode, type TransitionEdge } from './asl-graph';

/**
 * The layout engine (ELK's 1.6 MB Java-to-JS build) runs in a Web Worker loaded from {@link ELK_WORKER_URL}: the page
 * loads and paints without it, and a large layout never blocks the UI thread. Created on the first layout.
 */
export const ELK_WORKER_URL = '/elk-worker.js';
let elk: InstanceType<typeof ELK> | undefined;
const cache = new Map<string, Promise<StateNode>>();

/** Lays a definition out once (ELK layered, compound nodes); the result is cached per definition text. */
export const layoutDefinition = (definition: AslDefinition): Promise<StateNode> => {
  const key = JSON.stringify(definition);
  let laid = cache.get(key);
  if (laid === undefined) {
    elk ??= new ELK({ workerUrl: ELK_WORKER_URL });
    laid = elk.layout(aslToGraph(definition)) as Promise<StateNode>;
    cache.set(key, laid);
  }
  return laid;
};

const STATUS_LABEL: Record<StepStatus, string> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  caught: 'failed, caught',
  aborted: 'aborted',
};

const path = (points: ElkPoint[]): string =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');

const renderEdge = (edge: TransitionEdge): VNode[] =>
  (edge.sections ?? []).flatMap((section) => {
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    const out: VNode[] = [
      html`<path
        class=${`edge edge-${edge.kind}`}
        d=${path(points)}
        marker-end=${`url(#arrow-${edge.kind === 'catch' ? 'catch' : 'next'})`}
      />` as VNode,
    ];
    for (const label of edge.labels ?? []) {
      out.push(
        html`<text class=${`edge-label edge-label-${edge.kind}`} x=${label.x ?? 0} y=${(label.y ?? 0) + 12}
          >${label.text}</text
        >` as VNode,
      );
    }
    return out;
  });

interface NodeProps {
  node: StateNode;
  outcomes: Record<string, StepStatus>;
  selected: string | undefined;
  onSelect: ((name: string) => void) | undefined;
}

const renderNode = ({ node, outcomes, selected, onSelect }: NodeProps): VNode => {
  const x = node.x ?? 0;
  const y = node.y ?? 0;
  const w = node.width ?? 0;
  const h = node.height ?? 0;
  const container = node.children !== undefined && node.children.length > 0;
  const status = outcomes[node.id];
  const marker = node.stateType === 'Start' || node.stateType === 'End';
  const cls = [
    'node',
    `type-${node.stateType.toLowerCase()}`,
    container ? 'container' : '',
    status === undefined ? '' : `status-${status}`,
    selected === node.id ? 'selected' : '',
  ].join(' ');
  const description = `${node.label}: ${node.stateType}${status === undefined ? '' : `, ${STATUS_LABEL[status]}`}`;
  const interactive =
    onSelect !== undefined && !marker && node.stateType !== 'Branch' && node.stateType !== 'ItemProcessor';
  const select = (): void => onSelect?.(node.id);
  return html`<g
    class=${cls}
    transform=${`translate(${x},${y})`}
    data-state=${node.id}
    data-status=${status ?? ''}
    role=${interactive ? 'button' : 'img'}
    tabindex=${interactive ? 0 : undefined}
    aria-label=${description}
    onClick=${interactive ? select : undefined}
    onKeyDown=${
      interactive
        ? (e: KeyboardEvent) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              select();
            }
          }
        : undefined
    }
  >
    <title>${description}</title>
    <rect width=${w} height=${h} rx=${marker ? h / 2 : container ? 8 : 6} />
    <text
      class="node-label"
      x=${container ? 10 : w / 2}
      y=${container ? 19 : h / 2 + 5}
      text-anchor=${container ? 'start' : 'middle'}
    >
      ${container && node.stateType !== 'Branch' && node.stateType !== 'ItemProcessor' ? `${node.label} (${node.stateType})` : node.label}
    </text>
    ${(node.edges ?? []).flatMap(renderEdge)}
    ${(node.children ?? []).map((child) => renderNode({ node: child, outcomes, selected, onSelect }))}
  </g>` as VNode;
};

/** Props of {@link WorkflowGraph}. */
export interface WorkflowGraphProps {
  definition: AslDefinition;
  /** State name → outcome (execution page); empty for the plain workflow view. */
  outcomes?: Record<string, StepStatus>;
  selected?: string;
  onSelect?: (name: string) => void;
  title: string;
}

/** A state machine drawn as SVG from its ELK layout; states colored by outcome when `outcomes` is given. */
export const WorkflowGraph = (props: WorkflowGraphProps): VNode => {
  const [graph, setGraph] = useState<StateNode | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [fit, setFit] = useState(true);
  useEffect(() => {
    let live = true;
    layoutDefinition(props.definition)
      .then((g) => live && setGraph(g))
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [JSON.stringify(props.definition)]);
  if (error !== undefined) return html`<p role="alert">Could not lay out the graph: ${error}</p>` as VNode;
  if (graph === undefined) return html`<p aria-busy="true">Laying out the graph…</p>` as VNode;
  const outcomes = props.outcomes ?? {};
  const width = graph.width ?? 0;
  const height = graph.height ?? 0;
  return html`<figure class="graph">
    <div class="graph-tools">
      <button type="button" class="small" aria-pressed=${!fit} onClick=${() => setFit(!fit)}>
        ${fit ? 'Actual size' : 'Fit to width'}
      </button>
    </div>
    <svg
      viewBox=${`0 0 ${width} ${height}`}
      width=${fit ? '100%' : width}
      height=${fit ? undefined : height}
      style=${fit ? `max-width:${width}px;height:auto` : undefined}
      role="group"
      aria-label=${props.title}
      data-testid="workflow-graph"
    >
      <defs>
        <marker
          id="arrow-next"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" class="arrow" />
        </marker>
        <marker
          id="arrow-catch"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" class="arrow-catch" />
        </marker>
      </defs>
      ${(graph.edges ?? []).flatMap(renderEdge)}
      ${(graph.children ?? []).map((child) => renderNode({ node: child, outcomes, selected: props.selected, onSelect: props.onSelect }))}
    </svg>
    <figcaption class="legend">
      <span class="key key-succeeded">succeeded</span>
      <span class="key key-running">running / waiting</span>
      <span class="key key-caught">failed, caught</span>
      <span class="key key-failed">failed</span>
      <span class="key key-aborted">aborted</span>
      <span class="key key-catch">Catch edge (dashed)</span>
    </figcaption>
  </figure>` as VNode;
};
