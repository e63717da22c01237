import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Properties of a {@link ServiceTable}. */
export interface ServiceTableProps {
  /** Partition key attribute (string). */
  readonly partitionKey: string;
  /**
   * Sort key attribute (string).
   *
   * @default - no sort key
   */
  readonly sortKey?: string;
  /**
   * TTL attribute (epoch seconds).
   *
   * @default - no TTL
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes (string keys, projection ALL).
   *
   * @default - none
   */
  readonly globalIndexes?: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
  /**
   * What happens to the table when the stack deletes it.
   *
   * @default RemovalPolicy.RETAIN (business data outlives a stack)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table of a task service: on-demand capacity, point-in-time recovery on, encrypted at rest with an
 * AWS managed KMS key, string keys exactly as the service's contract names them.
 */
export class ServiceTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(props.sortKey === undefined
        ? {}
        : { sortKey: { name: props.sortKey, type: dynamodb.AttributeType.STRING } }),
      ...(props.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: props.timeToLiveAttribute }),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of props.globalIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(index.sortKey === undefined
          ? {}
          : { sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING } }),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
