export { LocalDynamoDb, type LocalDynamoDbOptions } from './local-dynamodb';
