import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

let sequence = 1_000_000;

type Item = Record<string, unknown>;
const image = (item: Item) =>
  marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

/**
 * A DynamoDB Streams record (NEW_AND_OLD_IMAGES) of a table item, as the real stream delivers it: INSERT
 * without an old image, REMOVE without a new one; sequence numbers grow like a shard's.
 */
export const streamRecord = (newItem: Item | undefined, oldItem: Item | undefined): DynamoDBRecord => {
  sequence += 1;
  const keyOf = (newItem ?? oldItem) as Item;
  return {
    eventID: `event-${sequence}`,
    eventName: oldItem === undefined ? 'INSERT' : newItem === undefined ? 'REMOVE' : 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence),
      Keys: image({ pk: keyOf.pk, sk: keyOf.sk }),
      ...(newItem === undefined ? {} : { NewImage: image(newItem) }),
      ...(oldItem === undefined ? {} : { OldImage: image(oldItem) }),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
};

export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
