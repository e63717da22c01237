import { loadCases, type ConformanceCase, type Json } from './cases';
import { Comparator } from './compare';
import { MISSED_NORMALISATIONS, withMissedNormalisations } from './missed-normalisations';
import { unresolvableQueueHost } from './services';

const NO_SUCH_QUEUE = '::test_send_message_no_such_queue#';

function noSuchQueueCase(): ConformanceCase {
  const c = loadCases().find((x) => x.id.includes(NO_SUCH_QUEUE));
  if (c === undefined) throw new Error('the no-such-queue case is missing from the corpus');
  return c;
}

describe('normalisations the recording missed', () => {
  it('puts the input queue host where the recording kept its random host, in cause fields only', () => {
    // Arrange
    const c = noSuchQueueCase();
    // Act
    const fixed = withMissedNormalisations(c).expected;
    // Assert
    const cause = 'Unable to execute HTTP request: no-such-queue-00000470: Name or service not known';
    expect(c.input).toContain('"http://no-such-queue-00000470"');
    expect(fixed.output).toStrictEqual({
      Error: 'SQS.SdkClientException',
      Cause: cause,
      client_error: { Error: 'SQS.SdkClientException', Cause: cause },
    });
    const failed = (fixed.events ?? []).find((e) => (e as Record<string, Json>)['type'] === 'TaskFailed');
    expect((failed as Record<string, Record<string, Json>>)['taskFailedEventDetails']).toStrictEqual({
      cause,
      error: 'SQS.SdkClientException',
      resource: 'sendMessage',
      resourceType: 'sqs',
    });
    expect(JSON.stringify(fixed)).not.toContain('73e08fde');
  });

  it('fails when the engine names any host but the input’s (the rule is no wildcard)', () => {
    // Arrange
    const c = noSuchQueueCase();
    const cmp = new Comparator(c.transformers);
    const expected = withMissedNormalisations(c).expected.output as Record<string, Json>;
    // Act
    const recordedHost = cmp.compare(
      expected['Cause'],
      'Unable to execute HTTP request: no-such-queue-73e08fde: Name or service not known',
    );
    const otherHost = cmp.compare(
      expected['Cause'],
      'Unable to execute HTTP request: no-such-queue-00000471: Name or service not known',
    );
    // Assert
    expect(recordedHost?.path).toBe('$');
    expect(otherHost?.path).toBe('$');
  });

  it('leaves every other case as it is', () => {
    // Arrange
    const cases = loadCases().filter((x) => !x.id.includes('::test_send_message_no_such_queue'));
    // Act
    const changed = cases.filter((x) => withMissedNormalisations(x) !== x).map((x) => x.id);
    // Assert
    expect(changed).toStrictEqual([]);
    expect(MISSED_NORMALISATIONS.map((r) => r.name)).toStrictEqual(['no-such-queue host in the SQS cause']);
  });
});

describe('SendMessage to a queue whose host does not resolve', () => {
  it('fails with SQS.SdkClientException naming the host alone', () => {
    // Arrange / Act
    const err = unresolvableQueueHost('http://no-such-queue-00000470:8080/123/q');
    // Assert
    expect(err).toStrictEqual({
      error: 'SQS.SdkClientException',
      cause: 'Unable to execute HTTP request: no-such-queue-00000470: Name or service not known',
    });
  });

  it('fails when the URL is on an SQS endpoint, for which no answer was recorded', () => {
    // Arrange / Act
    const err = unresolvableQueueHost('https://sqs.us-east-1.amazonaws.com/111111111111/missing');
    // Assert
    expect(err.error).toBe('States.Runtime');
  });
});
