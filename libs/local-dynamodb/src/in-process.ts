// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this makes the declaration visible to every project that compiles this file
/// <reference path="./dynalite.d.ts" />
import { createRequire } from 'node:module';
import { type DynaliteStore } from 'dynalite/db';
import { type DynamoBody, type DynamoCall } from './transactions';

/** An error dynalite answers with (`statusCode` and the JSON body it sends). */
interface DynaliteError {
  statusCode: number;
  body: DynamoBody;
}

interface Validations {
  checkTypes(data: DynamoBody, types: unknown): DynamoBody;
  checkValidations(data: DynamoBody, types: unknown, custom: unknown, store: DynaliteStore): void;
}

type Action = (
  store: DynaliteStore,
  data: DynamoBody,
  callback: (error: (Error & Partial<DynaliteError>) | null, result?: DynamoBody) => void,
) => void;

const isDynaliteError = (error: unknown): error is DynaliteError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as Partial<DynaliteError>).statusCode === 'number' &&
  typeof (error as Partial<DynaliteError>).body === 'object';

const load = createRequire(__filename);

/**
 * Creates a dynalite server the way `dynalite(options)` does and also returns its store (dynalite creates it through
 * its `db` module's `create`, looked up at call time, synchronously inside `dynalite()`).
 */
export const withStore = <T>(start: () => T): { result: T; store: DynaliteStore | undefined } => {
  const db = load('dynalite/db') as { create?: unknown };
  const create = db.create;
  if (typeof create !== 'function') return { result: start(), store: undefined };
  let store: DynaliteStore | undefined;
  db.create = (options: unknown): DynaliteStore => {
    store = (create as (options: unknown) => DynaliteStore)(options);
    return store;
  };
  try {
    return { result: start(), store };
  } finally {
    db.create = create;
  }
};

/**
 * A {@link DynamoCall} that runs dynalite's validation and action for an operation in this process, on its store:
 * what dynalite's HTTP handler does after parsing a request, without the HTTP request and the JSON on each side.
 * `undefined` when dynalite's modules are not what this expects (the caller then calls dynalite over HTTP).
 */
export const inProcessCall = (store: DynaliteStore): DynamoCall | undefined => {
  let validations: Validations;
  try {
    validations = load('dynalite/validations') as Validations;
  } catch {
    return undefined;
  }
  if (typeof validations.checkTypes !== 'function' || typeof validations.checkValidations !== 'function') {
    return undefined;
  }
  const modules = new Map<string, { types: unknown; custom: unknown; action: Action }>();
  const moduleFor = (operation: string) => {
    const known = modules.get(operation);
    if (known !== undefined) return known;
    const name = `${operation.charAt(0).toLowerCase()}${operation.slice(1)}`;
    const validation = load(`dynalite/validations/${name}`) as { types: unknown; custom?: unknown };
    const action = load(`dynalite/actions/${name}`) as Action;
    const loaded = { types: validation.types, custom: validation.custom, action };
    modules.set(operation, loaded);
    return loaded;
  };
  return (operation, body) =>
    new Promise((resolve, reject) => {
      try {
        const { types, custom, action } = moduleFor(operation);
        const data = validations.checkTypes({ ...(body as DynamoBody) }, types);
        validations.checkValidations(data, types, custom, store);
        action(store, data, (error, result) => {
          if (error === null || error === undefined) {
            // As the JSON of its HTTP answer: without the fields it leaves undefined (e.g. ConsumedCapacity).
            const answer = Object.fromEntries(
              Object.entries(result ?? {}).filter(([, value]) => value !== undefined),
            );
            resolve({ status: 200, body: answer });
          } else if (isDynaliteError(error)) resolve({ status: error.statusCode, body: error.body });
          else reject(error);
        });
      } catch (error) {
        if (isDynaliteError(error)) resolve({ status: error.statusCode, body: error.body });
        else reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
};
