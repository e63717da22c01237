import { allStateNames, aslToGraph, describeChoiceRule, END_ID, START_ID, type StateNode } from './asl-graph';

const definition = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.amount', NumericGreaterThan: 1000, Next: 'Fan' }],
      Default: 'Done',
    },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:a', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
      Next: 'Done',
    },
    Oops: { Type: 'Fail', Error: 'Boom' },
    Done: { Type: 'Succeed' },
  },
};

const edgesOf = (node: StateNode): [string, string, string][] =>
  (node.edges ?? []).map((e) => [e.sources[0] ?? '', e.targets[0] ?? '', e.kind]);

describe('aslToGraph', () => {
  it('draws transitions of the top scope with their kinds, start and end markers', () => {
    // Arrange / Act
    const graph = aslToGraph(definition);

    // Assert
    expect(graph.children?.map((c) => c.id)).toStrictEqual([
      START_ID,
      'Check',
      'Fan',
      'Each',
      'Oops',
      'Done',
      END_ID,
    ]);
    expect(edgesOf(graph)).toStrictEqual([
      ['Check', 'Fan', 'choice'],
      ['Check', 'Done', 'default'],
      ['Fan', 'Each', 'next'],
      ['Fan', 'Oops', 'catch'],
      ['Each', 'Done', 'next'],
      [START_ID, 'Check', 'start'],
      ['Oops', END_ID, 'end'],
      ['Done', END_ID, 'end'],
    ]);
    expect(graph.edges?.find((e) => e.kind === 'choice')?.labels?.[0]?.text).toBe('$.amount > 1000');
    expect(graph.edges?.find((e) => e.kind === 'catch')?.labels?.[0]?.text).toBe('Catch States.ALL');
  });

  it('nests Parallel branches and the Map body as compound nodes with their own edges', () => {
    // Arrange / Act
    const graph = aslToGraph(definition);
    const fan = graph.children?.find((c) => c.id === 'Fan');
    const each = graph.children?.find((c) => c.id === 'Each');

    // Assert
    expect(fan?.children?.map((b) => [b.id, b.stateType, b.children?.map((s) => s.id)])).toStrictEqual([
      ['Fan#branch1', 'Branch', ['A']],
      ['Fan#branch2', 'Branch', ['B', 'C']],
    ]);
    expect(fan?.width).toBeUndefined();
    expect(edgesOf(fan?.children?.[1] as StateNode)).toStrictEqual([['B', 'C', 'next']]);
    expect(each?.children?.[0]?.children?.map((s) => s.id)).toStrictEqual(['Item']);
  });

  it('gives every edge a unique id across scopes (ELK rejects duplicates)', () => {
    // Arrange
    const graph = aslToGraph(definition);
    const ids: string[] = [];
    const walk = (node: StateNode): void => {
      ids.push(...(node.edges ?? []).map((e) => e.id));
      for (const child of node.children ?? []) walk(child);
    };

    // Act
    walk(graph);

    // Assert
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores transitions to states that do not exist instead of failing the layout', () => {
    // Arrange / Act
    const graph = aslToGraph({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } });

    // Assert
    expect(edgesOf(graph)).toStrictEqual([[START_ID, 'A', 'start']]);
  });
});

describe('describeChoiceRule', () => {
  it('summarises nested rules and JSONata conditions', () => {
    // Arrange / Act / Assert
    expect(
      describeChoiceRule({
        And: [
          { Variable: '$.s', IsPresent: true },
          { Variable: '$.s', StringEquals: 'ok' },
        ],
      }),
    ).toBe('And($.s exists, $.s == "ok")');
    expect(describeChoiceRule({ Condition: '{% $states.input.ok %}' })).toBe('{% $states.input.ok %}');
  });
});

describe('allStateNames', () => {
  it('lists nested states too', () => {
    // Arrange / Act / Assert
    expect(allStateNames(definition)).toStrictEqual([
      'Check',
      'Fan',
      'A',
      'B',
      'C',
      'Each',
      'Item',
      'Oops',
      'Done',
    ]);
  });
});
