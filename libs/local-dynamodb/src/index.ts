export { type DynamoDbServer, type DynamoDbServerOptions, startDynamoDbServer } from './dynamodb-server';
export { type DynamoBody, type DynamoCall, DynamoDbFront, type FrontResponse } from './transactions';
