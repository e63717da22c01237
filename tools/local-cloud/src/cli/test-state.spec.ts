import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, MemoryStore } from '@flow/asl-engine';
import { stepFunctionsService } from '../api/stepfunctions';
import { startHttpServer, type RunningHttpServer } from '../server/http-server';
import { jsonProtocolRoute } from '../server/json-route';
import { type CliClients, createClients } from './clients';
import { formatTestState, testState, testStateRequest } from './test-state';

let server: RunningHttpServer;
let engine: Engine;
let clients: CliClients;

const MACHINE = JSON.stringify({
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' }],
      Default: 'Small',
    },
    Big: { Type: 'Succeed' },
    Small: { Type: 'Succeed' },
  },
});

beforeAll(async () => {
  server = await startHttpServer({ port: 0 });
  engine = new Engine({ store: new MemoryStore(), integrations: { resolve: () => undefined } });
  await engine.start();
  server.setRoutes([jsonProtocolRoute([stepFunctionsService(engine)])]);
  await engine.createStateMachine({ name: 'Router', definition: MACHINE });
  clients = createClients(server.url);
});

afterAll(async () => {
  clients.sfn.destroy();
  clients.events.destroy();
  await server.close();
  await engine.close();
});

describe('test-state command', () => {
  it('builds the TestState request (DEBUG and a local role by default, the mock as JSON)', () => {
    // Act
    const request = testStateRequest(
      { stateName: 'S', input: '{"a":1}', mock: '{"result":"[1]"}', inspectionLevel: 'trace' },
      '{"StartAt":"S"}',
    );

    // Assert
    expect(request).toStrictEqual({
      definition: '{"StartAt":"S"}',
      inspectionLevel: 'TRACE',
      input: '{"a":1}',
      roleArn: 'arn:aws:iam::000000000000:role/local-cloud-test-state',
      stateName: 'S',
      mock: { result: '[1]' },
    });
  });

  it('fails when a JSON option is not JSON, naming it', () => {
    // Act / Assert
    expect(() => testStateRequest({ variables: '{nope' }, '{}')).toThrow('--variables must be JSON text.');
    expect(() => testStateRequest({ inspectionLevel: 'LOUD' }, '{}')).toThrow(
      '--inspection-level must be one of INFO, DEBUG, TRACE.',
    );
  });

  it('formats the answer with each inspection step', () => {
    // Act
    const text = formatTestState({
      status: 'CAUGHT_ERROR',
      nextState: 'Handle',
      error: 'E',
      cause: 'C',
      output: '{"a":1}',
      inspectionData: { input: '{}', errorDetails: { catchIndex: 0 } },
    });

    // Assert
    expect(text).toBe(
      [
        'Status: CAUGHT_ERROR',
        'Next state: Handle',
        'Error: E',
        'Cause: C',
        'Output:',
        '{\n  "a": 1\n}',
        'Inspection data:',
        '  input: {}',
        '  errorDetails: {\n    "catchIndex": 0\n  }',
      ].join('\n'),
    );
  });

  it('tests a state of a deployed state machine on the endpoint', async () => {
    // Act
    const text = await testState(clients, { stateMachine: 'Router', stateName: 'Route', input: '{"n":11}' });

    // Assert
    expect(text).toBe(
      [
        'Status: SUCCEEDED',
        'Next state: Big',
        'Output:',
        '{\n  "n": 11\n}',
        'Inspection data:',
        '  input: {\n    "n": 11\n  }',
        '  afterInputPath: {\n    "n": 11\n  }',
      ].join('\n'),
    );
  });

  it('tests the state in a definition file', async () => {
    // Arrange
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'test-state-')), 'state.json');
    writeFileSync(file, '{"Type":"Pass","Result":{"ok":true},"End":true}');

    // Act
    const text = await testState(clients, { file, inspectionLevel: 'INFO' });

    // Assert
    expect(text).toBe('Status: SUCCEEDED\nOutput:\n{\n  "ok": true\n}');
  });

  it('fails when the service rejects the request, with its message', async () => {
    // Arrange
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'test-state-')), 'state.json');
    writeFileSync(file, '{"Type":"Pass","End":true}');

    // Act / Assert
    await expect(testState(clients, { file, mock: '{"result":"{}"}' })).rejects.toThrow(
      "State type 'Pass' is not supported when a mock is specified",
    );
  });
});
