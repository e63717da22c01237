import { parseQueryRequest, queryErrorXml, queryResponseXml } from './sqs-query';

const ENDPOINT = 'http://127.0.0.1:4566';

describe('parseQueryRequest', () => {
  it('maps flattened attributes, message attributes and batch entries to the JSON-protocol shape', () => {
    // Arrange
    const form = new URLSearchParams(
      'Action=SendMessageBatch&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%3A4566%2F000000000000%2Fq' +
        '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=hello' +
        '&SendMessageBatchRequestEntry.1.DelaySeconds=5' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=color' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=blue' +
        '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=world',
    );

    // Act
    const request = parseQueryRequest(form, '/', ENDPOINT);

    // Assert
    expect(request).toStrictEqual({
      action: 'SendMessageBatch',
      input: {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/q',
        Entries: [
          {
            Id: 'a',
            MessageBody: 'hello',
            DelaySeconds: 5,
            MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } },
          },
          { Id: 'b', MessageBody: 'world' },
        ],
      },
    });
  });

  it('maps Attribute.N pairs, AttributeName.N lists and numbers, and takes the queue from the path', () => {
    // Arrange
    const form = new URLSearchParams(
      'Action=ReceiveMessage&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10&WaitTimeSeconds=0',
    );

    // Act
    const receive = parseQueryRequest(form, '/000000000000/approvals', ENDPOINT);
    const create = parseQueryRequest(
      new URLSearchParams(
        'Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=0',
      ),
      '/',
      ENDPOINT,
    );

    // Assert
    expect(receive).toStrictEqual({
      action: 'ReceiveMessage',
      input: {
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        QueueUrl: 'http://127.0.0.1:4566/000000000000/approvals',
      },
    });
    expect(create).toStrictEqual({
      action: 'CreateQueue',
      input: { QueueName: 'q', Attributes: { VisibilityTimeout: '0' } },
    });
  });
});

describe('queryResponseXml', () => {
  it('renders ReceiveMessage with flattened messages, attributes and message attributes', () => {
    // Arrange
    const output = {
      Messages: [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          MD5OfBody: '5d41402abc4b2a76b9719d911017c592',
          Body: '<hello & bye>',
          Attributes: { ApproximateReceiveCount: '1' },
          MessageAttributes: { color: { StringValue: 'blue', DataType: 'String' } },
        },
      ],
    };

    // Act
    const xml = queryResponseXml('ReceiveMessage', output, 'req-1');

    // Assert
    expect(xml).toBe(
      '<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
        '<ReceiveMessageResult><Message><MessageId>m1</MessageId><ReceiptHandle>r1</ReceiptHandle>' +
        '<MD5OfBody>5d41402abc4b2a76b9719d911017c592</MD5OfBody><Body>&lt;hello &amp; bye&gt;</Body>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '</Message></ReceiveMessageResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>' +
        '</ReceiveMessageResponse>',
    );
  });

  it('renders batch results and an empty result', () => {
    // Act
    const batch = queryResponseXml(
      'DeleteMessageBatch',
      {
        Successful: [{ Id: 'a' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'bad' }],
      },
      'r',
    );
    const empty = queryResponseXml('DeleteQueue', {}, 'r');

    // Assert
    expect(batch).toContain(
      '<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>' +
        '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code><Message>bad</Message></BatchResultErrorEntry>' +
        '</DeleteMessageBatchResult>',
    );
    expect(empty).toBe(
      '<?xml version="1.0"?><DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
        '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteQueueResponse>',
    );
  });

  it('renders the query-protocol error document', () => {
    // Act
    const xml = queryErrorXml(
      'Sender',
      'AWS.SimpleQueueService.NonExistentQueue',
      'The specified queue does not exist.',
      'r',
    );

    // Assert
    expect(xml).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/></Error>' +
        '<RequestId>r</RequestId></ErrorResponse>',
    );
  });
});
