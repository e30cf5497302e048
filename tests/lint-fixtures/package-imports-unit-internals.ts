// as: packages/sdk/src/__fixture__.ts
import { eventsSchema } from '../../protocol/src/events.ts';

export const schema = eventsSchema;
