import { TaskErrorNames } from '@flow/contracts';
import {
  InvalidTaskInputError,
  TransientDependencyError,
  isTransientAwsError,
  toTaskError,
} from './task-errors';

const awsError = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe('task errors', () => {
  it('carry the names the state machine matches', () => {
    // Act
    const names = [new TransientDependencyError('x').name, new InvalidTaskInputError('y').name];

    // Assert
    expect(names).toStrictEqual([TaskErrorNames.TransientDependency, TaskErrorNames.InvalidTaskInput]);
  });
});

describe('isTransientAwsError', () => {
  it.each([
    ['a throttling code', awsError('ProvisionedThroughputExceededException')],
    ['an HTTP 503', awsError('SomethingElse', { $metadata: { httpStatusCode: 503 } })],
    ['an SDK-retryable error', awsError('Whatever', { $retryable: { throttling: true } })],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
    ],
  ])('is true for %s', (_label, error) => {
    // Act & Assert
    expect(isTransientAwsError(error)).toBe(true);
  });

  it.each([
    ['a conditional check failure', awsError('ConditionalCheckFailedException')],
    ['a validation error', awsError('ValidationException')],
    ['a non-error value', 'ThrottlingException'],
  ])('is false for %s', (_label, error) => {
    // Act & Assert
    expect(isTransientAwsError(error)).toBe(false);
  });
});

describe('toTaskError', () => {
  it('maps a failing idempotency table to a retryable TransientDependencyError keeping the cause', () => {
    // Arrange
    const original = Object.assign(new Error('Failed to put record'), {
      name: 'IdempotencyPersistenceLayerError',
    });

    // Act
    const mapped = toTaskError(original);

    // Assert
    expect(mapped).toEqual(
      expect.objectContaining({
        name: 'TransientDependencyError',
        message: 'IdempotencyPersistenceLayerError: Failed to put record',
        cause: original,
      }),
    );
  });

  it('returns business and programming errors unchanged', () => {
    // Arrange
    const errors = [new InvalidTaskInputError('bad'), new TypeError('oops'), awsError('ValidationException')];

    // Act
    const mapped = errors.map(toTaskError);

    // Assert
    expect(mapped).toStrictEqual(errors);
  });
});
