import { type ElkExtendedEdge, type ElkLabel, type ElkNode } from 'elkjs/lib/elk-api';

/** How an edge of a workflow graph came about. */
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'start' | 'end';

/** A state (or a branch / map body container, or the start/end marker) as a graph node. */
export interface StateNode extends ElkNode {
  /** ASL state type, or `Branch` / `ItemProcessor` for containers, `Start` / `End` for markers. */
  stateType: string;
  /** The state name (label) shown; markers and containers get a descriptive label. */
  label: string;
  children?: StateNode[];
  edges?: TransitionEdge[];
}

/** A transition between two states of the same scope. */
export interface TransitionEdge extends ElkExtendedEdge {
  kind: EdgeKind;
  labels?: ElkLabel[];
}

/** The subset of an ASL definition the graph reads. */
export interface AslDefinition {
  StartAt?: string;
  States?: Record<string, AslState>;
}

/** The subset of an ASL state the graph reads. */
export interface AslState {
  Type?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string; Variable?: string; Condition?: string; [k: string]: unknown }[];
  Catch?: { ErrorEquals?: string[]; Next?: string }[];
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
}

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 34;
const LABEL_HEIGHT = 16;

/** Node id of the start / end markers of the top-level scope. */
export const START_ID = '__start__';
export const END_ID = '__end__';

const textWidth = (text: string): number => Math.ceil(text.length * CHAR_WIDTH);

const label = (text: string): ElkLabel => ({ text, width: textWidth(text), height: LABEL_HEIGHT });

const truncate = (text: string, max = 32): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const OPERATORS: Record<string, string> = {
  StringEquals: '==',
  NumericEquals: '==',
  BooleanEquals: '==',
  TimestampEquals: '==',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '>=',
  NumericLessThan: '<',
  NumericLessThanEquals: '<=',
  StringGreaterThan: '>',
  StringLessThan: '<',
  TimestampGreaterThan: '>',
  TimestampLessThan: '<',
  StringMatches: '~',
};

/** A short description of a Choice rule (its variable and comparison, or its JSONata condition). */
export const describeChoiceRule = (rule: Record<string, unknown>): string => {
  if (typeof rule['Condition'] === 'string') return truncate(rule['Condition']);
  const variable = typeof rule['Variable'] === 'string' ? rule['Variable'] : '';
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment');
  if (op === undefined) return truncate(variable);
  const value = rule[op];
  if (op === 'And' || op === 'Or' || op === 'Not') {
    const parts = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
    return truncate(`${op}(${parts.map((p) => describeChoiceRule(p)).join(', ')})`);
  }
  if (op === 'IsPresent') return truncate(`${variable} ${value === true ? 'exists' : 'missing'}`);
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const symbol = OPERATORS[op.replace(/Path$/, '')] ?? op;
  return truncate(`${variable} ${symbol} ${shown}`);
};

const containerOptions = {
  'elk.padding': '[top=30,left=14,bottom=14,right=14]',
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/** Layout options of a compound node: wide enough for its title. */
const sized = (title: string): Record<string, string> => ({
  ...containerOptions,
  'elk.nodeSize.constraints': 'MINIMUM_SIZE',
  'elk.nodeSize.minimum': `(${textWidth(title) + 28}, 40)`,
});

/**
 * Converts one scope (a state machine, a Parallel branch or a Map body) into nodes and edges; nested scopes become
 * compound nodes inside their Parallel / Map state. Edges always stay within their scope (ASL transitions do).
 */
const scope = (
  definition: AslDefinition,
  edgePrefix: string,
): { nodes: StateNode[]; edges: TransitionEdge[] } => {
  const nodes: StateNode[] = [];
  const edges: TransitionEdge[] = [];
  const states = definition.States ?? {};
  let n = 0;
  const edge = (source: string, target: string, kind: EdgeKind, text?: string): void => {
    if (!(target in states) && target !== END_ID) return;
    n += 1;
    edges.push({
      id: `${edgePrefix}e${n}`,
      sources: [source],
      targets: [target],
      kind,
      ...(text === undefined ? {} : { labels: [label(text)] }),
    });
  };
  for (const [name, state] of Object.entries(states)) {
    const type = state.Type ?? 'Unknown';
    const node: StateNode = {
      id: name,
      label: name,
      stateType: type,
      width: textWidth(name) + 28,
      height: NODE_HEIGHT,
    };
    if (type === 'Parallel' && state.Branches !== undefined) {
      // Branches side by side, in definition order.
      node.layoutOptions = { ...sized(`${name} (Parallel)`), 'elk.separateConnectedComponents': 'false' };
      node.children = state.Branches.map((branch, i) => {
        const inner = scope(branch, `${name}/b${i}/`);
        return {
          id: `${name}#branch${i + 1}`,
          label: `Branch ${i + 1}`,
          stateType: 'Branch',
          layoutOptions: sized(`Branch ${i + 1}`),
          children: inner.nodes,
          edges: inner.edges,
        };
      });
      delete node.width;
      delete node.height;
    }
    const body = state.ItemProcessor ?? state.Iterator;
    if (type === 'Map' && body !== undefined) {
      const inner = scope(body, `${name}/map/`);
      node.layoutOptions = sized(`${name} (Map)`);
      node.children = [
        {
          id: `${name}#items`,
          label: 'Each item',
          stateType: 'ItemProcessor',
          layoutOptions: sized('Each item'),
          children: inner.nodes,
          edges: inner.edges,
        },
      ];
      delete node.width;
      delete node.height;
    }
    nodes.push(node);
    if (state.Next !== undefined) edge(name, state.Next, 'next');
    for (const rule of state.Choices ?? []) {
      if (rule.Next !== undefined) edge(name, rule.Next, 'choice', describeChoiceRule(rule));
    }
    if (state.Default !== undefined) edge(name, state.Default, 'default', 'Default');
    for (const handler of state.Catch ?? []) {
      if (handler.Next !== undefined) {
        edge(name, handler.Next, 'catch', `Catch ${truncate((handler.ErrorEquals ?? []).join(', '), 24)}`);
      }
    }
  }
  return { nodes, edges };
};

/**
 * The ELK graph of a state machine: Start → StartAt, every state a node (Parallel branches and Map bodies nested as
 * compound nodes), Next / Choice / Default / Catch transitions as typed edges, top-level terminal states → End.
 */
export const aslToGraph = (definition: AslDefinition): StateNode => {
  const top = scope(definition, '');
  const states = definition.States ?? {};
  const markers: StateNode[] = [
    { id: START_ID, label: 'Start', stateType: 'Start', width: 56, height: 28 },
    { id: END_ID, label: 'End', stateType: 'End', width: 56, height: 28 },
  ];
  const edges = [...top.edges];
  if (definition.StartAt !== undefined) {
    edges.push({ id: 'start', sources: [START_ID], targets: [definition.StartAt], kind: 'start' });
  }
  for (const [name, state] of Object.entries(states)) {
    if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') {
      edges.push({ id: `end:${name}`, sources: [name], targets: [END_ID], kind: 'end' });
    }
  }
  return {
    id: 'root',
    label: 'root',
    stateType: 'Root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '24',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: [markers[0] as StateNode, ...top.nodes, markers[1] as StateNode],
    edges,
  };
};

/** Every state name of a definition, nested scopes included (ASL state names are unique machine-wide). */
export const allStateNames = (definition: AslDefinition): string[] => {
  const out: string[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    out.push(name);
    for (const branch of state.Branches ?? []) out.push(...allStateNames(branch));
    const body = state.ItemProcessor ?? state.Iterator;
    if (body !== undefined) out.push(...allStateNames(body));
  }
  return out;
};
