/**
 * `Promise.withResolvers` for Node 20: aws-local-stepfunctions 3 calls it in every Task state (Node >= 22 has it).
 * Loaded by the benchmark only.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

interface WithResolvers {
  withResolvers?: <T>() => Resolvers<T>;
}

const promiseCtor = Promise as unknown as WithResolvers;
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = <T>(): Resolvers<T> => {
    const handlers: Partial<Omit<Resolvers<T>, 'promise'>> = {};
    const promise = new Promise<T>((resolve, reject) => {
      handlers.resolve = resolve;
      handlers.reject = reject;
    });
    // The executor runs synchronously, so both handlers are set here.
    const { resolve, reject } = handlers as Omit<Resolvers<T>, 'promise'>;
    return { promise, resolve, reject };
  };
}

export {};
