import { pythonJson, pythonRepr, runLambda } from './services';

describe('local Lambda behaviours', () => {
  it('renders JSON as the Python runtime sends it (spaced separators, ASCII escapes)', () => {
    // Arrange / Act / Assert
    expect(pythonJson({ a: [1, 'é'], b: null, c: true })).toBe('{"a": [1, "\\u00e9"], "b": null, "c": true}');
  });

  it('renders an event as Python str() does', () => {
    // Arrange / Act / Assert
    expect(pythonRepr({ k: ['string-literal', null, false, 1.5] })).toBe(
      "{'k': ['string-literal', None, False, 1.5]}",
    );
  });

  it('returns the recorded behaviours: identity, constant JSON text, f-string', () => {
    // Arrange / Act / Assert
    expect(runLambda({ kind: 'identity' }, { x: 1 })).toStrictEqual({ ok: true, value: { x: 1 } });
    expect(runLambda({ kind: 'constant_json_text', text: '"HelloWorld!"' }, {})).toStrictEqual({
      ok: true,
      value: 'HelloWorld!',
    });
    expect(runLambda({ kind: 'python_fstring', template: 'input-event-{event}' }, ['a'])).toStrictEqual({
      ok: true,
      value: "input-event-['a']",
    });
  });

  it('fails as the recorded function fails, with the Python error body', () => {
    // Arrange / Act
    const run = runLambda(
      { kind: 'raise', errorType: 'Exception', errorMessage: 'Some exception was raised.' },
      {},
    );
    // Assert
    expect(run.ok).toBe(false);
    expect(run.ok ? undefined : { ...run.body, requestId: 'id' }).toStrictEqual({
      errorMessage: 'Some exception was raised.',
      errorType: 'Exception',
      requestId: 'id',
      stackTrace: [
        '  File "/var/task/handler.py", line 2, in handler\n    raise Exception("Some exception was raised.")\n',
      ],
    });
  });
});
